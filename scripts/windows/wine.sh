# Sourced by the Windows checks: sets `wine` to Debian's 64-bit Wine loader and prepares a Wine
# prefix of the caller's (WINEPREFIX, default DIR/wineprefix) once; `windows_path` turns a Linux
# path into the Windows one Wine sees (its Z: drive is the Linux root).
#   . scripts/windows/wine.sh DIR
# Debian's /usr/bin/wine wants the 32-bit loader too; the 64-bit one runs 64-bit programs alone.
wine=/usr/lib/wine/wine64
[ -x "$wine" ] || wine=$(command -v wine64 || command -v wine)
export WINEPREFIX=${WINEPREFIX:-$1/wineprefix} WINEDEBUG=-all WINEARCH=win64
[ -f "$WINEPREFIX/system.reg" ] || "$wine" wineboot -i >/dev/null 2>&1
windows_path() { echo "Z:$1" | tr / '\\'; }
