// The list of every public differentiable op. The op registry in
// tests/autograd must have an entry for each name here (a coverage test fails
// otherwise), so adding an op means: its family file, this list, one registry entry.
#pragma once
#include <array>
#include <string_view>

namespace lg {

inline constexpr std::array kDifferentiableOps = {
    // arithmetic.cpp
    std::string_view{"add"}, std::string_view{"sub"}, std::string_view{"mul"}, std::string_view{"div"},
    std::string_view{"neg"}, std::string_view{"pow"}, std::string_view{"pow_scalar"}, std::string_view{"maximum"},
    std::string_view{"minimum"}, std::string_view{"where"}, std::string_view{"clamp"}, std::string_view{"atan2"},
    // unary.cpp
    std::string_view{"exp"}, std::string_view{"log"}, std::string_view{"log1p"}, std::string_view{"expm1"},
    std::string_view{"sqrt"}, std::string_view{"rsqrt"}, std::string_view{"abs"}, std::string_view{"sin"},
    std::string_view{"cos"}, std::string_view{"erf"},
    // activation.cpp
    std::string_view{"tanh"}, std::string_view{"sigmoid"}, std::string_view{"relu"}, std::string_view{"leaky_relu"},
    std::string_view{"elu"}, std::string_view{"softplus"}, std::string_view{"gelu"},
    std::string_view{"relu_backward"}, std::string_view{"sigmoid_backward"},
    // reduce.cpp, softmax.cpp
    std::string_view{"sum"}, std::string_view{"sum_of_squares"}, std::string_view{"mean"}, std::string_view{"var"},
    std::string_view{"std"}, std::string_view{"logsumexp"}, std::string_view{"norm"}, std::string_view{"max"}, std::string_view{"min"},
    std::string_view{"softmax"}, std::string_view{"log_softmax"}, std::string_view{"mean_squared_error"},
    std::string_view{"mean_binary_cross_entropy_with_logits"},
    // view.cpp
    std::string_view{"reshape"}, std::string_view{"view"}, std::string_view{"transpose"}, std::string_view{"permute"},
    std::string_view{"slice"}, std::string_view{"narrow"}, std::string_view{"select"}, std::string_view{"expand"},
    std::string_view{"squeeze"}, std::string_view{"unsqueeze"}, std::string_view{"flatten"},
    std::string_view{"unflatten"}, std::string_view{"contiguous"}, std::string_view{"clone"}, std::string_view{"to"}, std::string_view{"to_device"},
    std::string_view{"slice_scatter"},
    // join.cpp, indexing.cpp
    std::string_view{"cat"}, std::string_view{"stack"}, std::string_view{"index_select"},
    std::string_view{"index_add"}, std::string_view{"gather"}, std::string_view{"scatter_add"},
    // matmul.cpp
    std::string_view{"matmul"}, std::string_view{"mm"}, std::string_view{"bmm"}, std::string_view{"dot"},
    std::string_view{"outer"}, std::string_view{"linear"},
    // conv.cpp, pool.cpp
    std::string_view{"unfold"}, std::string_view{"fold"}, std::string_view{"conv2d"},
    std::string_view{"conv_transpose2d"}, std::string_view{"conv2d_weight"}, std::string_view{"max_pool2d"}, std::string_view{"avg_pool2d"},
    std::string_view{"upsample_nearest2d"},
    // matrix_parts.cpp
    std::string_view{"diagonal"}, std::string_view{"diag_embed"}, std::string_view{"tril"}, std::string_view{"triu"},
    std::string_view{"trace"}, std::string_view{"matrix_transpose"}, std::string_view{"symmetric_part"},
    std::string_view{"skew_part"},
    // decompositions.cpp (factorisations and solves)
    std::string_view{"cholesky"}, std::string_view{"solve"}, std::string_view{"triangular_solve"},
    std::string_view{"inverse"}, std::string_view{"det"}, std::string_view{"slogdet"}, std::string_view{"qr"},
    // spectral.cpp, matrix_functions.cpp
    std::string_view{"eigh"}, std::string_view{"eigvalsh"}, std::string_view{"svd"}, std::string_view{"svdvals"},
    std::string_view{"matrix_exp"}, std::string_view{"sqrtm"}, std::string_view{"logm"}, std::string_view{"expm"},
};

// Ops that are deliberately not differentiable (tested to return tensors
// that do not require grad): comparisons, sign, argmax/argmin.
inline constexpr std::array kNonDifferentiableOps = {
    std::string_view{"eq"}, std::string_view{"ne"}, std::string_view{"lt"}, std::string_view{"le"},
    std::string_view{"gt"}, std::string_view{"ge"}, std::string_view{"sign"}, std::string_view{"argmax"},
    std::string_view{"argmin"},
};

}  // namespace lg
