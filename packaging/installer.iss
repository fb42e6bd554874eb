; Inno Setup 6 script: a per-user install of App Profile Manager, no administrator rights.
; Build after packaging/build.py:  iscc /DAppVersion=0.1.0 packaging\installer.iss
; The uninstaller removes the program; the data folder (profiles, vault, logs) stays unless the
; user ticks the box that asks for it to be removed too.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define AppName "App Profile Manager"
#define AppExe "app-profiles.exe"
#define DataDirName "AppProfileManager"

[Setup]
AppId={{6F1B7F5E-3C1A-4F7B-9E55-2B7A9C1D0E41}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher={#AppName}
VersionInfoVersion={#AppVersion}
; Per-user: installs under %LOCALAPPDATA%\Programs, writes HKCU only, never asks for elevation.
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
OutputDir=..\dist
OutputBaseFilename=AppProfileManager-{#AppVersion}-setup
SetupIconFile=..\build\icons\app.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; The app holds one instance per user; ask it to close instead of replacing files in use.
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\dist\app-profiles\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  { The program is gone by now. Its data stays unless the user explicitly says Yes here; }
  { silent uninstalls (updates, scripts) never delete it. }
  if (CurUninstallStep = usPostUninstall) and (not UninstallSilent()) then
  begin
    if MsgBox('Also delete your app profiles, encrypted certificates, settings and logs?' +
              #13#10#13#10 + 'Choose No to keep them for a later installation.',
              mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES then
      { The data and log folders (%LOCALAPPDATA%\AppProfileManager, with Logs inside). }
      DelTree(ExpandConstant('{localappdata}\{#DataDirName}'), True, True, True);
  end;
end;
