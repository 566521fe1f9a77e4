// Every public header of optim/, for the umbrella header.
#pragma once
#include "optim/adam.hpp"
#include "optim/clip_grad.hpp"
#include "optim/optimizer.hpp"
#include "optim/optimizer_with_options.hpp"
#include "optim/scheduler.hpp"
#include "optim/sgd.hpp"
