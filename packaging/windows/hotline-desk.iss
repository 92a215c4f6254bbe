; Inno Setup script for the Windows installer of Hotline Desk (Inno Setup 6).
;
; Input: the one-folder bundle dist\hotline-desk\ built by packaging\hotline-desk.spec
; (see .github/workflows/windows-build.yml). Build from the repository root:
;   iscc /DAppVersion=0.1.0 packaging\windows\hotline-desk.iss
; Output: dist\installer\HotlineDesk-<version>-setup.exe
;
; Per-user install (no administrator rights needed: an NGO volunteer often has none):
; the program goes to %LOCALAPPDATA%\Programs\Hotline Desk, with a Start-menu shortcut.
;
; THE DATA FOLDER IS NEVER TOUCHED. The encrypted database, key slots, settings and
; backups live in the user's data folder (%LOCALAPPDATA%\HotlineDesk, or wherever
; HOTLINE_DATA_DIR / --data-dir points), not in the program folder. Installing a new
; version keeps them, and uninstalling removes ONLY the files this installer copied into
; {app}: there is deliberately no [UninstallDelete] or [Code] step for the data folder.
; Deleting the data is a decision for the organisation (after a final backup), never a
; side effect of uninstalling.
;
; Not built or tested on this project's Linux machines: Inno Setup runs only on Windows.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Hotline Desk"
#define AppExe "hotline-desk.exe"
#define SourceDir "..\..\dist\hotline-desk"

[Setup]
; A fixed AppId: upgrades replace the previous version in place. Never change it.
AppId={{6B8E1D52-3F0A-4C39-9C53-2A7D4E1F8B60}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Hotline Desk contributors
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist\installer
OutputBaseFilename=HotlineDesk-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\hotline-desk.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "ru"; MessagesFile: "compiler:Languages\Russian.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole bundle: both programs (hotline-desk.exe, hotline.exe) and _internal\.
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] section, on purpose: see the header. The data folder stays.
