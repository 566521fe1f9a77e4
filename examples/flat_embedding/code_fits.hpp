// The closed-form shapes flat_embedding compares an encoder's codes with: a fitted circle or sphere (its radius
// against the isometric target L / 2 pi), an affine map of the square (its singular values against 1), and the
// winding number of a closed loop of codes (1 for a circle traversed once, 2 for a double cover). All on codes
// given row-major as host vectors.
#pragma once
#include <array>
#include <cstddef>
#include <utility>
#include <vector>

namespace flat_embedding {

// The fitted hypersphere |z - c| = r of codes [N, l] (rows), by the algebraic (Kasa 1976) fit
// |z|^2 = 2 c . z + k, r^2 = k + |c|^2: the radius r and the RMS of (|z - c| - r) / r (0 for a round one).
std::pair<double, double> sphere_fit(const std::vector<double>& z, std::size_t l);

// The affine fit z ~ A p + b of codes [N, l] from parameters [N, 2]: A's two singular values (descending) and
// the RMS residual |z - A p - b| relative to the RMS spread of the codes.
std::array<double, 3> affine_fit(const std::vector<double>& z, std::size_t l, const std::vector<double>& p);

// The winding number of the closed loop of 2-d codes (in order, back to the first) about their mean: 1 for an
// embedded circle traversed once, 2 for a double cover (a locally isometric immersion of half the radius).
double winding_number(const std::vector<double>& xy);

}  // namespace flat_embedding
