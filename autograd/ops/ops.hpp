// Every differentiable op family, for the umbrella header.
#pragma once
#include "autograd/ops/activation.hpp"
#include "autograd/ops/arithmetic.hpp"
#include "autograd/ops/conv.hpp"
#include "autograd/ops/indexing.hpp"
#include "autograd/ops/join.hpp"
#include "autograd/ops/linalg.hpp"
#include "autograd/ops/matmul.hpp"
#include "autograd/ops/pool.hpp"
#include "autograd/ops/reduce.hpp"
#include "autograd/ops/softmax.hpp"
#include "autograd/ops/unary.hpp"
#include "autograd/ops/view.hpp"
