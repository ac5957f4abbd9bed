#!/usr/bin/env bash
# The Windows package: kanwu.exe cross-built with MinGW-w64, the fonts (with fonts.lock and
# their licences), layout/, the sample issue and 使用说明.txt, zipped as
# dist/out/kanwu-<version>-windows-x86_64.zip. Where wine is installed, the packaged kanwu.exe
# builds the sample inside wine and the PDF's text is compared with the Linux build's.
# Not run by CI (a release cross-build takes long). Usage: dist/windows.sh [--no-wine]
# (KANWU_LINUX=path/to/kanwu compares with that Linux build instead of building one.)
set -euo pipefail
cd "$(dirname "$0")/.."

target=x86_64-pc-windows-gnu
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
name="kanwu-$version-windows-x86_64"
out=dist/out
stage="$out/$name"
target_dir="${CARGO_TARGET_DIR:-target}"

# The toolchain: the Rust target and Debian's MinGW-w64 cross compiler.
rustup target add "$target"
if ! command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends gcc-mingw-w64-x86-64
fi

start=$(date +%s)
cargo build --release --target "$target"
echo "cross-built kanwu.exe in $(( $(date +%s) - start )) s"
exe="$target_dir/$target/release/kanwu.exe"

# The folder as the editor unpacks it: kanwu.exe with layout\ and fonts\ beside it (where
# `kanwu init` finds them), and the sample publication under issues\.
rm -rf "$stage" "$out/$name.zip"
mkdir -p "$stage/fonts" "$stage/issues"
cp "$exe" "$stage/kanwu.exe"
# The symbol table is a quarter of the file and of no use to an editor.
if command -v x86_64-w64-mingw32-strip >/dev/null 2>&1; then
  x86_64-w64-mingw32-strip "$stage/kanwu.exe"
fi
cp -r layout "$stage/layout"
cp fonts/fonts.lock fonts/LICENSE-* "$stage/fonts/"
while read -r file; do
  cp "fonts/$file" "$stage/fonts/"
done < <(sed -n 's/^file = "\(.*\)"/\1/p' fonts/fonts.lock)
cp issues/publication.toml "$stage/issues/"
cp -r issues/2021-01 "$stage/issues/2021-01"
# Notepad reads UTF-8 with a byte-order mark and CRLF line ends in every Windows version.
{ printf '\xef\xbb\xbf'; sed 's/$/\r/' dist/使用说明.txt; } > "$stage/使用说明.txt"
cp README.md "$stage/README.md"

# Reproducible: every time SOURCE_DATE_EPOCH (default: the last commit's), read in UTC (zip
# keeps local times), fixed modes, the entries sorted, no extra attributes (-X).
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}"
find "$stage" -type d -exec chmod 0755 {} +
find "$stage" -type f -exec chmod 0644 {} +
chmod 0755 "$stage/kanwu.exe"
find "$stage" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
(cd "$out" && find "$name" | LC_ALL=C sort | TZ=UTC zip -q -9 -X -@ "$name.zip")
echo "wrote $out/$name.zip ($(du -h "$out/$name.zip" | cut -f1))"
unzip -l "$out/$name.zip"

# The packaged kanwu.exe inside wine, against the Linux build of the same sample.
if [ "${1:-}" = "--no-wine" ]; then
  echo "notice: --no-wine: the package was not run"
  exit 0
fi
wine=$(command -v wine64 || command -v wine || ls /usr/lib/wine/wine64 2>/dev/null || true)
if [ -z "$wine" ]; then
  echo "notice: wine is not installed (apt-get install wine64): the package was not run"
  exit 0
fi
run=$(mktemp -d)
# wineserver lingers a few seconds after the last program: stop it before removing its prefix.
wineserver=$(command -v wineserver || echo "$(dirname "$wine")/wineserver")
trap 'WINEPREFIX="$run/wineprefix" "$wineserver" -k >/dev/null 2>&1; rm -rf "$run"' EXIT
(cd "$run" && unzip -q "$OLDPWD/$out/$name.zip")
# A prefix of its own; no Mono or Gecko installers asked for (kanwu needs neither).
export WINEDEBUG=-all WINEPREFIX="$run/wineprefix" WINEDLLOVERRIDES="mscoree,mshtml="
# Rust's standard library takes its random numbers from bcryptprimitives.dll (ProcessPrng),
# which every Windows 10 and 11 has and Debian 12's wine 8 has not: for the test run only, a
# stand-in beside kanwu.exe answers from RtlGenRandom. The package itself does not carry it.
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
  x86_64-w64-mingw32-gcc -shared -O2 -o "$run/$name/bcryptprimitives.dll" "$run/bcryptprimitives.c" -ladvapi32
  export WINEDLLOVERRIDES="$WINEDLLOVERRIDES;bcryptprimitives=n"
  echo "notice: wine lacks bcryptprimitives.dll; the test run uses a stand-in beside kanwu.exe"
fi
(cd "$run/$name" && "$wine" kanwu.exe build issues/2021-01 -o out/wine.pdf)
# The Linux side: $KANWU_LINUX when given, else a dev build (what the tests build; the PDF is
# the same bytes in every profile).
linux="${KANWU_LINUX:-}"
if [ -z "$linux" ]; then
  cargo build
  linux="$target_dir/debug/kanwu"
fi
"$linux" build issues/2021-01 -o "$run/linux.pdf"
if ! command -v pdftotext >/dev/null 2>&1; then
  echo "notice: pdftotext is not installed (apt-get install poppler-utils): texts not compared"
  exit 0
fi
pdftotext "$run/$name/out/wine.pdf" "$run/wine.txt"
pdftotext "$run/linux.pdf" "$run/linux.txt"
if cmp -s "$run/wine.txt" "$run/linux.txt"; then
  echo "wine: kanwu.exe built the sample; its text is the Linux build's ($(wc -c < "$run/linux.txt") bytes of text)"
else
  echo "wine: the PDF's text differs from the Linux build's:"
  diff "$run/linux.txt" "$run/wine.txt" | head -n 40
  exit 1
fi
if cmp -s "$run/$name/out/wine.pdf" "$run/linux.pdf"; then
  echo "wine: the PDF is the same bytes as the Linux build's"
else
  echo "notice: the PDF's bytes differ from the Linux build's (the text is the same)"
fi

# A PDF held open as a viewer holds it (read sharing only): the build writes a numbered copy.
cat > "$run/hold.c" <<'C'
#include <windows.h>
#include <stdlib.h>
int main(int argc, char **argv) {
    HANDLE h = CreateFileA(argv[1], GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    if (h == INVALID_HANDLE_VALUE) return 1;
    Sleep(atoi(argv[2]) * 1000);
    CloseHandle(h);
    return 0;
}
C
x86_64-w64-mingw32-gcc -O2 -o "$run/hold.exe" "$run/hold.c"
(cd "$run/$name" && { "$wine" "$run/hold.exe" 'out\wine.pdf' 20 & sleep 5; "$wine" kanwu.exe build issues/2021-01 -o out/wine.pdf; wait; })
if [ -f "$run/$name/out/wine (2).pdf" ]; then
  echo "wine: with out\wine.pdf held open, the build wrote out\wine (2).pdf beside it"
else
  echo "wine: with out\wine.pdf held open, no numbered copy was written"
  exit 1
fi
