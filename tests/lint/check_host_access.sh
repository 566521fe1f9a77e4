#!/usr/bin/env bash
# The device boundary's rule, kept by a search: outside autograd/backend/, the
# library never takes a host pointer to tensor memory (data_ptr, Storage::data,
# device_data) and never calls BLAS or LAPACK itself; it goes through
# lg::kernel::* or an explicit copy (to_vector, item, Tensor::to). The two
# places that define the accessors are the exceptions.
# Usage: check_host_access.sh SOURCE_DIR
set -euo pipefail
cd "$1"
pattern='data_ptr<|storage->data\(|->data\(\)|device_data\(|LAPACKE_|cblas_'
found=$(grep -rnE "$pattern" autograd nn optim data manifold 2>/dev/null \
  | grep -v '^autograd/backend/' \
  | grep -vE '^autograd/(tensor\.hpp|storage\.(hpp|cpp)):' || true)
if [ -n "$found" ]; then
  echo "host access to tensor memory outside autograd/backend/ (go through lg::kernel::* or copy to the CPU):"
  echo "$found"
  exit 1
fi
echo "no host access to tensor memory outside autograd/backend/"
