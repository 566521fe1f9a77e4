// Principal angles between two subspaces, given by bases A [..., n, p] and
// B [..., n, q] (any full-rank bases; they are orthonormalised first), and the
// distances built on them (Björck & Golub 1973; Edelman, Arias & Smith 1998 §4.3).
//
// With Qa, Qb orthonormal bases (QR), the cosines are the singular values of
// Qa^T Qb and the sines those of Qb - Qa (Qa^T Qb) (for p <= q; else A and B swap).
// The cosine alone loses half the digits of a small angle (cos 1e-8 = 1 in
// float64); the sine alone loses them near pi/2. Each angle is therefore
// atan2(sine, cosine), pairing the cosines in descending and the sines in
// ascending order: accurate at every angle (Björck & Golub's arcsin/arccos
// choice, made smoothly).
#pragma once
#include "autograd/tensor.hpp"

namespace lg::manifold {

// The min(p, q) principal angles between the column spaces of A and B, ascending, in [0, pi/2]: [..., min(p, q)].
Tensor principal_angles(const Tensor& a, const Tensor& b);
// The geodesic distance on the Grassmannian, ||theta||_2 over the principal angles: [...].
Tensor grassmann_distance(const Tensor& a, const Tensor& b);
// The chordal (projection) distance ||sin theta||_2 = ||Pa - Pb||_F / sqrt(2): [...].
Tensor chordal_distance(const Tensor& a, const Tensor& b);

}  // namespace lg::manifold
