// The list of every layer type in nn/, as autograd/ops/op_list.hpp lists the ops. tests/nn has a
// gradcheck entry for each name here (a coverage test fails otherwise), and the same test fails
// when a class in nn/ derives from Module but is in neither list, so adding a layer means: its
// header and source, this list, one gradcheck entry.
#pragma once
#include <array>
#include <string_view>

namespace lg::nn {

// The class name of every layer type in nn/, grouped by header.
inline constexpr std::array kLayers = {
    // activation.hpp
    std::string_view{"ReLU"}, std::string_view{"Sigmoid"}, std::string_view{"Tanh"}, std::string_view{"GELU"},
    std::string_view{"LeakyReLU"}, std::string_view{"ELU"}, std::string_view{"Softplus"},
    // batch_norm.hpp
    std::string_view{"BatchNorm1d"}, std::string_view{"BatchNorm2d"},
    // conv.hpp
    std::string_view{"Conv2d"}, std::string_view{"ConvTranspose2d"},
    // dropout.hpp
    std::string_view{"Dropout"},
    // flatten.hpp
    std::string_view{"Flatten"}, std::string_view{"Unflatten"},
    // linear.hpp
    std::string_view{"Linear"},
    // pool.hpp
    std::string_view{"MaxPool2d"}, std::string_view{"AvgPool2d"}, std::string_view{"Upsample"},
    // sequential.hpp
    std::string_view{"Sequential"},
};

// Modules in nn/ that are not layers: BatchNorm, the base BatchNorm1d and BatchNorm2d share (its
// constructor is protected), and the autoencoders in nn/autoencoders/, whole models built from
// the layers above and tested in their own files.
inline constexpr std::array kOtherModules = {
    std::string_view{"BatchNorm"},
    std::string_view{"MlpAutoencoder"},
    std::string_view{"ConvAutoencoder"},
    std::string_view{"ContractiveAutoencoder"},
    std::string_view{"DenoisingAutoencoder"},
    std::string_view{"VariationalAutoencoder"},
    std::string_view{"StiefelRkm"},
};

}  // namespace lg::nn
