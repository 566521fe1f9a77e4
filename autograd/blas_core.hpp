// Which OpenBLAS kernels this process runs, and who chose them. Before main, latentgeo has OpenBLAS
// choose again from the CPU's features when its own detection fell back to generic kernels, unless
// the user set OPENBLAS_CORETYPE or LATENTGEO_OPENBLAS_CORE=keep. See Note [OpenBLAS core] in docs/notes.md.
#pragma once

#include <string>

namespace lg {

// Which OpenBLAS kernels run: who chose them, the core requested and the core active.
struct BlasCoreChoice {
  enum class Source {
    openblas,     // OpenBLAS detected the CPU itself
    environment,  // OPENBLAS_CORETYPE was already set when the program started
    latentgeo,    // latentgeo had OpenBLAS switch to kernels for the CPU's features
  };
  Source source;
  std::string requested;  // the core asked for, empty when Source::openblas
  std::string active;     // openblas_get_corename(): the kernels actually running

  // True when OpenBLAS runs what was requested (it ignores names it does not know).
  bool honoured() const;
};

// The choice made for this process.
BlasCoreChoice blas_core();

}  // namespace lg
