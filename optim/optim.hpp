// Every public header of optim/, for the umbrella header.
#pragma once
#include "optim/adam.hpp"
#include "optim/cayley_adam.hpp"
#include "optim/cayley_sgd.hpp"
#include "optim/cayley_step.hpp"
#include "optim/clip_grad.hpp"
#include "optim/optimizer.hpp"
#include "optim/optimizer_with_options.hpp"
#include "optim/riemannian_adam.hpp"
#include "optim/riemannian_sgd.hpp"
#include "optim/riemannian_step.hpp"
#include "optim/scheduler.hpp"
#include "optim/sgd.hpp"
