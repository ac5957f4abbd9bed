; The Windows installer of kanwu (刊物排版), built by dist/windows-installer.sh with makensis.
; It installs, for the user who runs it and without administrator rights, the files of the
; portable zip (dist/windows.sh) into %LOCALAPPDATA%\Programs\kanwu; makes the editor's
; project, Documents\刊物, with `kanwu init` when there is none; and puts a Start-menu entry
; and a desktop shortcut 刊物排版 there that open the desk (kanwu serve --open) on it.
; The uninstaller removes exactly the files installed, the shortcuts, the Apps entry and
; kanwu's font cache; the project, being the editor's work, stays.
;
; Given by the script (makensis -D): VERSION, STAGE (the folder the zip holds), OUTFILE, and
; FILES / UNFILES (generated lists of File and Delete/RMDir lines, in sorted order).

Unicode true
ManifestDPIAware true
RequestExecutionLevel user
SetCompressor /SOLID lzma
; Each file's time is that of the staged file (fixed by the script): the same bytes each time.
SetDateSave on

!include MUI2.nsh
!include LogicLib.nsh

!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\kanwu"
; The shortcut's name and the project's folder are the same in every language, so that the
; uninstaller finds the shortcut whatever language it runs in.
!define SHORTCUT "刊物排版"
!define PROJECT "$DOCUMENTS\刊物"

Name "$(AppName)"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\kanwu"
InstallDirRegKey HKCU "Software\kanwu" "InstallDir"
BrandingText "kanwu ${VERSION}"
VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "kanwu"
VIAddVersionKey /LANG=0 "FileDescription" "kanwu ${VERSION} installer"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "LegalCopyright" "MIT OR Apache-2.0; fonts: SIL OFL 1.1, GPL 3 + font exception"

!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN
!define MUI_FINISHPAGE_RUN_TEXT "$(RunDesk)"
!define MUI_FINISHPAGE_RUN_FUNCTION RunDesk
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; The first language is the one used when Windows speaks neither.
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"

LangString AppName ${LANG_SIMPCHINESE} "刊物排版 kanwu ${VERSION}"
LangString AppName ${LANG_ENGLISH} "kanwu ${VERSION} (刊物排版)"
LangString DeskComment ${LANG_SIMPCHINESE} "在浏览器中编辑本期，边写边看版面（kanwu serve）"
LangString DeskComment ${LANG_ENGLISH} "Edit this month's issue in the browser, its pages as you type (kanwu serve)"
LangString RunDesk ${LANG_SIMPCHINESE} "打开编辑台"
LangString RunDesk ${LANG_ENGLISH} "Open the desk"
LangString MakingProject ${LANG_SIMPCHINESE} "正在新建刊物文件夹 ${PROJECT}（kanwu init）"
LangString MakingProject ${LANG_ENGLISH} "Making the publication's folder ${PROJECT} (kanwu init)"
LangString ProjectFailed ${LANG_SIMPCHINESE} "未能新建刊物文件夹 ${PROJECT}。安装后可在命令提示符中运行：kanwu init $\"${PROJECT}$\""
LangString ProjectFailed ${LANG_ENGLISH} "The publication's folder ${PROJECT} could not be made. Run in a command prompt: kanwu init $\"${PROJECT}$\""
LangString ProjectKept ${LANG_SIMPCHINESE} "刊物文件夹 ${PROJECT} 是您的稿件，已保留。"
LangString ProjectKept ${LANG_ENGLISH} "The publication's folder ${PROJECT} holds your work and is kept."

Section
  SetOutPath "$INSTDIR"
  !include "${FILES}"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  WriteRegStr HKCU "Software\kanwu" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "$(AppName)"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "kanwu"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\kanwu.exe"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1

  ; The editor's project: made once, from the files just installed, and never overwritten.
  ${IfNot} ${FileExists} "${PROJECT}\issues\*.*"
    DetailPrint "$(MakingProject)"
    nsExec::ExecToLog '"$INSTDIR\kanwu.exe" init "${PROJECT}"'
    Pop $0
    ${If} $0 != 0
      DetailPrint "$(ProjectFailed)"
      MessageBox MB_ICONEXCLAMATION|MB_OK "$(ProjectFailed)" /SD IDOK
    ${EndIf}
  ${EndIf}

  ; The shortcuts start the desk in the project (its console window is the desk's log; closing
  ; it stops the desk).
  SetOutPath "${PROJECT}"
  CreateShortCut "$SMPROGRAMS\${SHORTCUT}.lnk" "$INSTDIR\kanwu.exe" \
    'serve --open --root "${PROJECT}"' "$INSTDIR\kanwu.exe" 0 SW_SHOWNORMAL "" "$(DeskComment)"
  CreateShortCut "$DESKTOP\${SHORTCUT}.lnk" "$INSTDIR\kanwu.exe" \
    'serve --open --root "${PROJECT}"' "$INSTDIR\kanwu.exe" 0 SW_SHOWNORMAL "" "$(DeskComment)"
  SetOutPath "$INSTDIR"
SectionEnd

; The finish page's "Open the desk": what the shortcut does.
Function RunDesk
  SetOutPath "${PROJECT}"
  Exec '"$INSTDIR\kanwu.exe" serve --open --root "${PROJECT}"'
  SetOutPath "$INSTDIR"
FunctionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\${SHORTCUT}.lnk"
  Delete "$DESKTOP\${SHORTCUT}.lnk"
  ; Only what the installer put there: a folder chosen by hand may hold other things.
  !include "${UNFILES}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  ; kanwu's font cache (fonts.rs: %LOCALAPPDATA%\kanwu), rebuilt by the next build.
  RMDir /r "$LOCALAPPDATA\kanwu"
  DeleteRegKey HKCU "${UNINST_KEY}"
  DeleteRegKey HKCU "Software\kanwu"
  DetailPrint "$(ProjectKept)"
SectionEnd
