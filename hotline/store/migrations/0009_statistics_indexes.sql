-- Statistics at scale (docs/performance.md): every dashboard figure over one column is read
-- from an index holding that column, the call's time and whether it carries case data, so
-- counting a million calls reads a narrow index instead of every call with its notes.
DROP INDEX contacts_risk;
CREATE INDEX contacts_risk ON contacts (risk_level, started_at, is_data);
DROP INDEX contacts_language;
CREATE INDEX contacts_language ON contacts (call_language, started_at, is_data);
DROP INDEX contacts_caller_country;
CREATE INDEX contacts_caller_country ON contacts (caller_country, started_at, is_data);
DROP INDEX contacts_phone;
CREATE INDEX contacts_phone ON contacts (phone_key, started_at, is_data);
CREATE INDEX contacts_channel ON contacts (channel, started_at);
CREATE INDEX contacts_caller_sex ON contacts (caller_sex, started_at, is_data);
CREATE INDEX contacts_caller_age ON contacts (caller_age_band, started_at, is_data);
CREATE INDEX contacts_relationship ON contacts (caller_relationship, started_at, is_data);
CREATE INDEX contacts_region ON contacts (caller_region, started_at, is_data);
-- Only the calls with a follow-up (a partial index): the summary's follow-up figures.
CREATE INDEX contacts_follow_ups
    ON contacts (follow_up_date, follow_up_done, follow_up_done_on, started_at)
    WHERE follow_up_date IS NOT NULL;
-- A call's identity with what every count filters on: figures joined through topics, cases
-- and referrals look a call up here instead of reading it whole.
CREATE INDEX contacts_facts ON contacts (id, is_data, started_at, case_id);
