// Every public header of nn/, for the umbrella header.
#pragma once
#include "nn/activation.hpp"
#include "nn/batch_norm.hpp"
#include "nn/dropout.hpp"
#include "nn/flatten.hpp"
#include "nn/init.hpp"
#include "nn/linear.hpp"
#include "nn/loss.hpp"
#include "nn/module.hpp"
#include "nn/parameter.hpp"
#include "nn/sequential.hpp"
#include "nn/state_dict.hpp"
