#!/usr/bin/env bash
# The Windows installer: dist/out/kanwu-<version>-windows-x86_64-setup.exe, made with NSIS
# (Debian's nsis, makensis) from the files of the portable zip (dist/windows.sh makes both
# the folder and the zip). dist/windows/kanwu.nsi says what it installs: per user, no
# administrator rights, %LOCALAPPDATA%\Programs\kanwu, a Start-menu entry and a desktop
# shortcut 刊物排版 that open the desk, an uninstaller; Chinese and English.
#
# Reproducible as far as NSIS goes: the files' times are SOURCE_DATE_EPOCH (default: the last
# commit's time), the lists are sorted, and makensis writes no build time; the same kanwu.exe
# gives the same installer bytes. The uninstaller is written on the editor's machine at install
# time, so it is not part of those bytes.
#
# Then, where wine is installed, the installer is run there: silently (/S), the desktop
# shortcut started (the desk must answer), and uninstalled (nothing of it may remain).
# Not run by CI. Usage: dist/windows-installer.sh [--no-build] [--no-wine]
#   --no-build: use the folder dist/windows.sh left in dist/out as it is.
set -euo pipefail
cd "$(dirname "$0")/.."

build=1 wine_run=1
for arg in "$@"; do
  case $arg in
    --no-build) build=0 ;;
    --no-wine) wine_run=0 ;;
    *) echo "usage: dist/windows-installer.sh [--no-build] [--no-wine]" >&2; exit 2 ;;
  esac
done

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
name="kanwu-$version-windows-x86_64"
out="$PWD/dist/out"
stage="$out/$name"
setup="$out/$name-setup.exe"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}"

if ! command -v makensis >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends nsis
fi
if [ "$build" = 1 ]; then
  dist/windows.sh --no-wine
fi
[ -f "$stage/kanwu.exe" ] || { echo "error: $stage/kanwu.exe is missing (run dist/windows.sh)" >&2; exit 1; }

# Fixed times on the files the installer carries (NSIS stores each file's time).
find "$stage" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

# What to install and what to remove: every folder and file of the stage, sorted (C locale),
# as NSIS lines. The uninstaller removes these and nothing else, deepest folders first.
nsis="$out/nsis"
rm -rf "$nsis"
mkdir -p "$nsis"
win() { printf '%s' "$1" | tr / '\\'; }
(cd "$stage" && find . -mindepth 1 -type d | sed 's|^\./||' | LC_ALL=C sort) > "$nsis/dirs"
(cd "$stage" && find . -type f | sed 's|^\./||' | LC_ALL=C sort) > "$nsis/files"
{
  echo 'SetOutPath "$INSTDIR"'
  grep -v / "$nsis/files" | while read -r f; do echo "File \"$stage/$f\""; done
  while read -r d; do
    echo "SetOutPath \"\$INSTDIR\\$(win "$d")\""
    awk -v d="$d/" 'index($0, d) == 1 && index(substr($0, length(d) + 1), "/") == 0' "$nsis/files" \
      | while read -r f; do echo "File \"$stage/$f\""; done
  done < "$nsis/dirs"
  echo 'SetOutPath "$INSTDIR"'
} > "$nsis/files.nsh"
{
  while read -r f; do echo "Delete \"\$INSTDIR\\$(win "$f")\""; done < "$nsis/files"
  LC_ALL=C sort -r "$nsis/dirs" | while read -r d; do echo "RMDir \"\$INSTDIR\\$(win "$d")\""; done
} > "$nsis/unfiles.nsh"

rm -f "$setup"
makensis -V2 -INPUTCHARSET UTF8 -DVERSION="$version" -DSTAGE="$stage" -DOUTFILE="$setup" \
  -DFILES="$nsis/files.nsh" -DUNFILES="$nsis/unfiles.nsh" dist/windows/kanwu.nsi
echo "wrote $setup: $(stat -c %s "$setup") bytes ($(du -h "$setup" | cut -f1)), $(wc -l < "$nsis/files") files"
echo "  sha256 $(sha256sum "$setup" | cut -d' ' -f1)"

if [ "$wine_run" = 0 ]; then
  echo "notice: --no-wine: the installer was not run"
  exit 0
fi
wine=$(command -v wine64 || command -v wine || ls /usr/lib/wine/wine64 2>/dev/null || true)
if [ -z "$wine" ]; then
  echo "notice: wine is not installed (apt-get install wine64): the installer was not run"
  exit 0
fi
wineserver=$(command -v wineserver || echo "$(dirname "$wine")/wineserver")
run=$(mktemp -d)
# A prefix and a home of their own (wine links Documents and Desktop into $HOME); no Mono or
# Gecko installers asked for, no menu entries written to the host.
export HOME="$run/home" WINEPREFIX="$run/prefix" WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
unset XDG_CONFIG_HOME XDG_DATA_HOME XDG_DOCUMENTS_DIR XDG_DESKTOP_DIR
mkdir -p "$HOME"
trap '"$wineserver" -k >/dev/null 2>&1; rm -rf "$run"' EXIT
"$wine" wineboot -i >/dev/null 2>&1
"$wineserver" -w
# Rust programs need bcryptprimitives.dll (ProcessPrng), which every Windows 10 and 11 has
# and Debian 12's wine 8 has not: for this run only, a stand-in in the prefix's system32
# (dist/windows.sh does the same beside kanwu.exe). The installer does not carry it.
if ! find /usr/lib /opt -path '*x86_64-windows/bcryptprimitives.dll' 2>/dev/null | grep -q .; then
  cat > "$run/bcryptprimitives.c" <<'C'
#include <windows.h>
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!SystemFunction036(data, n)) return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}
C
  x86_64-w64-mingw32-gcc -shared -O2 -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
    "$run/bcryptprimitives.c" -ladvapi32
  export WINEDLLOVERRIDES="$WINEDLLOVERRIDES;bcryptprimitives=n"
  echo "notice: wine lacks bcryptprimitives.dll; this run uses a stand-in in the prefix's system32"
fi

user_dir=$(find "$WINEPREFIX/drive_c/users" -mindepth 1 -maxdepth 1 -type d ! -name Public | head -n1)
inst="$user_dir/AppData/Local/Programs/kanwu"
# Documents and Desktop: wine makes them links into $HOME.
docs=$(readlink -f "$user_dir/Documents")
desktop=$(readlink -f "$user_dir/Desktop")
menu="$user_dir/AppData/Roaming/Microsoft/Windows/Start Menu/Programs"

"$wine" "$setup" /S
"$wineserver" -w
fail() { echo "wine: $*" >&2; exit 1; }
[ -f "$inst/kanwu.exe" ] || fail "kanwu.exe is not in $inst"
[ -f "$inst/uninstall.exe" ] || fail "no uninstaller"
[ -f "$docs/刊物/issues/publication.toml" ] || fail "the project $docs/刊物 was not made"
[ -f "$desktop/刊物排版.lnk" ] || fail "no desktop shortcut"
[ -f "$menu/刊物排版.lnk" ] || fail "no Start-menu entry"
echo "wine: installed silently: $(find "$inst" -type f | wc -l) files in %LOCALAPPDATA%\\Programs\\kanwu, the project Documents\\刊物 made, both shortcuts written"
if command -v lnkinfo >/dev/null 2>&1; then
  lnkinfo "$desktop/刊物排版.lnk" | grep -E 'Local path|Working directory|Command line arguments' | sed 's/^[[:space:]]*/  /'
fi

# The desktop shortcut, started as Explorer starts it (wine's start resolves the .lnk: its
# program, arguments and working folder). The desk must answer on port 3000.
if (exec 3<>/dev/tcp/127.0.0.1/3000) 2>/dev/null; then
  fail "port 3000 is taken on this machine: the desk cannot be tried"
fi
"$wine" start /unix "$desktop/刊物排版.lnk"
page=""
for _ in $(seq 1 60); do
  page=$(curl -fsS http://127.0.0.1:3000/ 2>/dev/null || true)
  [ -n "$page" ] && break
  sleep 1
done
[ -n "$page" ] || fail "the desk did not answer on http://127.0.0.1:3000/"
echo "wine: the shortcut started the desk: http://127.0.0.1:3000/ answered ($(printf '%s' "$page" | wc -c) bytes: $(printf '%s' "$page" | grep -o '<title>[^<]*</title>' | head -n1))"
"$wine" taskkill /IM kanwu.exe /F >/dev/null 2>&1 || true
"$wineserver" -w

# Uninstalled: the uninstaller copies itself away and returns; wineserver -w waits for it.
"$wine" "$inst/uninstall.exe" /S
"$wineserver" -w
left=$( { [ -e "$inst" ] && find "$inst"; [ -e "$desktop/刊物排版.lnk" ] && echo "$desktop/刊物排版.lnk";
  [ -e "$menu/刊物排版.lnk" ] && echo "$menu/刊物排版.lnk"; [ -e "$user_dir/AppData/Local/kanwu" ] && echo "$user_dir/AppData/Local/kanwu"; } || true)
[ -z "$left" ] || fail "left after uninstalling: $left"
if "$wine" reg query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\kanwu' >/dev/null 2>&1; then
  fail "the Apps entry is still in the registry"
fi
[ -f "$docs/刊物/issues/publication.toml" ] || fail "the uninstaller removed the editor's project"
echo "wine: uninstalled silently: no file, shortcut, cache or registry entry of kanwu left; the project Documents\\刊物 kept"
