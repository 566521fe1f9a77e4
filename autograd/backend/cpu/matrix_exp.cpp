// The matrix exponential e^A of a general square matrix, by scaling and squaring (Higham 2005,
// "The scaling and squaring method for the matrix exponential revisited", Algorithm 2.3):
//   - r_m(A) = q_m(A)^{-1} p_m(A) is the [m/m] Pade approximant of e^x, p_m(A) = V + U with U the
//     odd and V the even powers of A, and q_m(A) = p_m(-A) = V - U;
//   - the 1-norm of A picks the lowest degree m in {3, 5, 7, 9} whose backward error bound
//     theta_m keeps r_m(A) as accurate as the float64 unit roundoff allows;
//   - up to theta_13 r_13(A) is used as it is; above, the matrix is scaled by 2^-s into that range
//     and r_13(A / 2^s) squared s times, e^A = (e^(A / 2^s))^(2^s).
// The thresholds are the float64 ones for both dtypes (float32 thus gets more than it needs).
// Batched by looping over the matrices; a matrix holding inf or NaN gives NaN everywhere.
#include <cblas.h>
#include <lapacke.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <type_traits>
#include <vector>

#include "autograd/backend/cpu/cpu_access.hpp"
#include "autograd/backend/cpu/cpu_kernels.hpp"
#include "autograd/factory.hpp"

namespace lg::kernel::cpu {
namespace {

// Higham 2005, Table 2.3 (float64): theta_m, the largest 1-norm for which degree m needs no scaling.
constexpr double kTheta3 = 1.495585217958292e-2;
constexpr double kTheta5 = 2.539398330063230e-1;
constexpr double kTheta7 = 9.504178996162932e-1;
constexpr double kTheta9 = 2.097847961257068e0;
constexpr double kTheta13 = 5.371920351148152e0;

// The coefficients b_0..b_m of the Pade numerator p_m(x) = sum b_j x^j (Higham 2005, Section 2).
constexpr std::array<double, 4> kPade3 = {120.0, 60.0, 12.0, 1.0};
constexpr std::array<double, 6> kPade5 = {30240.0, 15120.0, 3360.0, 420.0, 30.0, 1.0};
constexpr std::array<double, 8> kPade7 = {17297280.0, 8648640.0, 1995840.0, 277200.0, 25200.0, 1512.0, 56.0, 1.0};
constexpr std::array<double, 10> kPade9 = {17643225600.0, 8821612800.0, 2075673600.0, 302702400.0, 30270240.0,
                                           2162160.0,     110880.0,     3960.0,       90.0,        1.0};
constexpr std::array<double, 14> kPade13 = {64764752532480000.0, 32382376266240000.0, 7771770303897600.0,
                                            1187353796428800.0,  129060195264000.0,   10559470521600.0,
                                            670442572800.0,      33522128640.0,       1323241920.0,
                                            40840800.0,          960960.0,            16380.0,
                                            182.0,               1.0};

// A dense row-major n x n matrix for the computation of one exponential.
template <class T>
struct Square {
  std::int64_t n;
  std::vector<T> values;
  explicit Square(std::int64_t size) : n(size), values(static_cast<std::size_t>(size * size), T(0)) {}
  T* data() { return values.data(); }
  const T* data() const { return values.data(); }
};

template <class T>
Square<T> product(const Square<T>& a, const Square<T>& b) {
  Square<T> out(a.n);
  const auto n = static_cast<int>(a.n);
  if constexpr (std::is_same_v<T, double>)
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, a.data(), n, b.data(), n, 0.0, out.data(), n);
  else
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a.data(), n, b.data(), n, 0.0f, out.data(),
                n);
  return out;
}

// sum_j weights[j] terms[j], plus identity_weight I.
template <class T>
Square<T> combination(std::int64_t n, double identity_weight,
                      const std::vector<std::pair<double, const Square<T>*>>& terms) {
  Square<T> out(n);
  for (const auto& [weight, term] : terms)
    for (std::size_t i = 0; i < out.values.size(); ++i) out.values[i] += static_cast<T>(weight) * term->values[i];
  for (std::int64_t i = 0; i < n; ++i)
    out.values[static_cast<std::size_t>(i * n + i)] += static_cast<T>(identity_weight);
  return out;
}

// The 1-norm: the largest column sum of absolute values.
template <class T>
double one_norm(const Square<T>& a) {
  double largest = 0.0;
  for (std::int64_t j = 0; j < a.n; ++j) {
    double column = 0.0;
    for (std::int64_t i = 0; i < a.n; ++i)
      column += std::abs(static_cast<double>(a.values[static_cast<std::size_t>(i * a.n + j)]));
    if (!(column <= largest)) largest = column;  // also takes a NaN column sum, so NaN is seen
  }
  return largest;
}

// U (odd part) and V (even part) of p_m(A) for m in {3, 5, 7, 9}, from the powers A^2, A^4, ...
template <class T, std::size_t size>
std::pair<Square<T>, Square<T>> low_degree_parts(const Square<T>& a, const std::array<double, size>& b) {
  const std::int64_t n = a.n;
  const std::size_t degree = size - 1;
  std::vector<Square<T>> even_powers;  // A^2, A^4, ..., A^(degree - 1)
  even_powers.push_back(product(a, a));
  while (2 * (even_powers.size() + 1) <= degree - 1) even_powers.push_back(product(even_powers.back(), even_powers[0]));
  std::vector<std::pair<double, const Square<T>*>> odd_terms, even_terms;
  for (std::size_t p = 0; p < even_powers.size(); ++p) {
    odd_terms.push_back({b[2 * p + 3], &even_powers[p]});   // b_{2p+3} A^{2p+2}, times A below
    even_terms.push_back({b[2 * p + 2], &even_powers[p]});  // b_{2p+2} A^{2p+2}
  }
  return {product(a, combination(n, b[1], odd_terms)), combination(n, b[0], even_terms)};
}

// U and V of p_13(A), in Higham's six-product arrangement (A^2, A^4, A^6 and three more).
template <class T>
std::pair<Square<T>, Square<T>> degree_13_parts(const Square<T>& a) {
  const auto& b = kPade13;
  const std::int64_t n = a.n;
  const Square<T> a2 = product(a, a), a4 = product(a2, a2), a6 = product(a4, a2);
  const Square<T> odd_high = combination<T>(n, 0.0, {{b[13], &a6}, {b[11], &a4}, {b[9], &a2}});
  const Square<T> odd_low = combination<T>(n, b[1], {{b[7], &a6}, {b[5], &a4}, {b[3], &a2}});
  Square<T> odd = product(a6, odd_high);
  for (std::size_t i = 0; i < odd.values.size(); ++i) odd.values[i] += odd_low.values[i];
  const Square<T> even_high = combination<T>(n, 0.0, {{b[12], &a6}, {b[10], &a4}, {b[8], &a2}});
  Square<T> even = product(a6, even_high);
  const Square<T> even_low = combination<T>(n, b[0], {{b[6], &a6}, {b[4], &a4}, {b[2], &a2}});
  for (std::size_t i = 0; i < even.values.size(); ++i) even.values[i] += even_low.values[i];
  return {product(a, odd), std::move(even)};
}

// r_m(A) = (V - U)^{-1} (V + U) from parts = (U, V), by LU with partial pivoting.
template <class T>
Square<T> pade_quotient(const std::pair<Square<T>, Square<T>>& parts) {
  const auto& [odd, even] = parts;
  const std::int64_t n = odd.n;
  Square<T> numerator(n), denominator(n);
  for (std::size_t i = 0; i < odd.values.size(); ++i) {
    numerator.values[i] = even.values[i] + odd.values[i];
    denominator.values[i] = even.values[i] - odd.values[i];
  }
  std::vector<lapack_int> pivots(static_cast<std::size_t>(n));
  const auto ln = static_cast<lapack_int>(n);
  lapack_int info = 0;
  if constexpr (std::is_same_v<T, double>)
    info = LAPACKE_dgesv(LAPACK_ROW_MAJOR, ln, ln, denominator.data(), ln, pivots.data(), numerator.data(), ln);
  else info = LAPACKE_sgesv(LAPACK_ROW_MAJOR, ln, ln, denominator.data(), ln, pivots.data(), numerator.data(), ln);
  // q_m(A) is nonsingular for ||A||_1 <= theta_m (Higham 2005, Section 2), so this cannot fail.
  check<InternalError>(info == 0, "matrix_exp", "internal error: gesv returned ", info);
  return numerator;
}

template <class T>
Square<T> exponential(Square<T> a) {
  const double norm = one_norm(a);
  if (!std::isfinite(norm)) {
    std::fill(a.values.begin(), a.values.end(), std::numeric_limits<T>::quiet_NaN());
    return a;
  }
  if (norm <= kTheta3) return pade_quotient(low_degree_parts(a, kPade3));
  if (norm <= kTheta5) return pade_quotient(low_degree_parts(a, kPade5));
  if (norm <= kTheta7) return pade_quotient(low_degree_parts(a, kPade7));
  if (norm <= kTheta9) return pade_quotient(low_degree_parts(a, kPade9));
  const int squarings = std::max(0, static_cast<int>(std::ceil(std::log2(norm / kTheta13))));
  const T scale = static_cast<T>(std::ldexp(1.0, -squarings));
  for (T& value : a.values) value *= scale;
  Square<T> result = pade_quotient(degree_13_parts(a));
  for (int i = 0; i < squarings; ++i) result = product(result, result);
  return result;
}

}  // namespace

void matrix_exp(const Tensor& a, const Tensor& out) {
  check_cpu("matrix_exp", a);
  const std::int64_t n = a.shape().back();
  if (n == 0 || a.numel() == 0) return;
  const std::int64_t batch = a.numel() / (n * n);
  Tensor rows = empty(a.shape(), a.dtype(), a.device());  // a contiguous copy of a, any layout in
  copy(a, rows);
  visit_floating(a.dtype(), "matrix_exp", [&]<class T>() {
    for (std::int64_t b = 0; b < batch; ++b) {
      Square<T> matrix(n);
      const T* source = base<T>(rows) + b * n * n;
      std::copy(source, source + n * n, matrix.values.begin());
      const Square<T> result = exponential(std::move(matrix));
      std::copy(result.values.begin(), result.values.end(), base<T>(out) + b * n * n);
    }
  });
}

}  // namespace lg::kernel::cpu
