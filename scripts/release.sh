#!/usr/bin/env bash
# release.sh builds the release archives of one version of sextant: a static binary per
# platform (CGO_ENABLED=0, -trimpath, the version stamped in), each packed with README.md into
# sextant_<version>_<os>_<arch>.tar.gz (.zip for Windows, whose users unpack zips), and
# SHA256SUMS over the archives, which is what an installer verifies a download against.
#
#   VERSION=v0.2.0 bash scripts/release.sh          # into dist/release/
#
# Archives are reproducible: file times are the commit's, owners are 0, gzip stores no name
# or time, so two builds of one commit give the same SHA256SUMS.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=${VERSION:?set VERSION, e.g. VERSION=v0.2.0}
OUT=${OUT:-dist/release}
GO=${GO:-go}
PLATFORMS=${PLATFORMS:-linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64}
LDFLAGS="-s -w -X github.com/sextant-db/sextant/internal/cli.version=$VERSION"

if ! command -v zip >/dev/null; then
	echo "release: installing zip (Windows archives)" >&2
	apt-get update -qq && apt-get install -y -qq zip >/dev/null
fi

# The commit's time, for every file in every archive.
epoch=$(git log -1 --format=%ct 2>/dev/null || echo 0)
stamp=$(date -u -d "@$epoch" +%Y%m%d%H%M.%S)

rm -rf "$OUT"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd) # the archives are written from other directories
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for p in $PLATFORMS; do
	os=${p%/*} arch=${p#*/}
	name="sextant_${VERSION#v}_${os}_${arch}"
	dir="$work/$name"
	mkdir -p "$dir"
	exe=sextant
	[ "$os" = windows ] && exe=sextant.exe
	echo "release: $name" >&2
	CGO_ENABLED=0 GOOS=$os GOARCH=$arch $GO build -trimpath -ldflags "$LDFLAGS" -o "$dir/$exe" ./cmd/sextant
	cp README.md "$dir/"
	touch -t "$stamp" "$dir" "$dir"/*
	if [ "$os" = windows ]; then
		(cd "$work" && zip -q -X -r "$OUT/$name.zip" "$name")
	else
		tar -C "$work" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" -cf - "$name" |
			gzip -n -9 >"$OUT/$name.tar.gz"
	fi
done

(cd "$OUT" && shopt -s nullglob && sha256sum -- *.tar.gz *.zip >SHA256SUMS)

# The binary of this machine's platform must run and say its version.
host="$($GO env GOOS)_$($GO env GOARCH)"
if [ -f "$OUT/sextant_${VERSION#v}_${host}.tar.gz" ]; then
	tar -xzf "$OUT/sextant_${VERSION#v}_${host}.tar.gz" -C "$work"
	got=$("$work/sextant_${VERSION#v}_${host}/sextant" version)
	case "$got" in
	"sextant $VERSION"*) ;;
	*) echo "release: the $host binary says \"$got\", not version $VERSION" >&2; exit 1 ;;
	esac
fi
echo "release: $(wc -l <"$OUT/SHA256SUMS") archives and SHA256SUMS in $OUT" >&2
