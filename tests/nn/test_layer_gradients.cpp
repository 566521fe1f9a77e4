// Every layer gradchecked (first and second order, float64) w.r.t. its input
// and all its parameters, through a TensorFunction over the module's own
// tensors: the samples of every layer registry entry (layer_registry.hpp), and
// the coverage tests that keep the registry, nn/layer_list.hpp and the classes
// in nn/ in step. The entries for the basic layers are here; the conv family's
// are in test_conv_layers.cpp.
#include <cxxabi.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "helpers.hpp"
#include "layer_registry.hpp"

using namespace nn_test;
namespace nn = lg::nn;

namespace {

const RegisterLayers register_basic_layers({
    {"Linear",
     [] {
       lg::Generator generator(1);  // both layers draw their initial values from it, in this order
       auto with_bias = std::make_shared<nn::Linear>(3, 2, nn::LinearOptions{.dtype = lg::float64,
                                                                             .generator = &generator});
       auto without_bias = std::make_shared<nn::Linear>(
           3, 2, nn::LinearOptions{.bias = false, .dtype = lg::float64, .generator = &generator});
       return std::vector<LayerSample>{
           sample("Linear", with_bias, random64({4, 3}, 2)),
           sample("Linear (no bias)", without_bias, random64({4, 3}, 3)),
           // Leading batch dims: [2, 2, 3] -> [2, 2, 2].
           sample("Linear (3-d input)", with_bias, random64({2, 2, 3}, 4)),
       };
     }},
    {"ReLU", [] { return std::vector{sample("ReLU", std::make_shared<nn::ReLU>(), away_from_zero({3, 4}, 5))}; }},
    {"Sigmoid",
     [] { return std::vector{sample("Sigmoid", std::make_shared<nn::Sigmoid>(), away_from_zero({3, 4}, 5))}; }},
    {"Tanh", [] { return std::vector{sample("Tanh", std::make_shared<nn::Tanh>(), away_from_zero({3, 4}, 5))}; }},
    {"LeakyReLU",
     [] {
       return std::vector{sample("LeakyReLU", std::make_shared<nn::LeakyReLU>(0.2), away_from_zero({3, 4}, 5))};
     }},
    {"ELU", [] { return std::vector{sample("ELU", std::make_shared<nn::ELU>(0.7), away_from_zero({3, 4}, 5))}; }},
    {"Softplus",
     [] {
       return std::vector{sample("Softplus", std::make_shared<nn::Softplus>(nn::SoftplusOptions{.beta = 2.0}),
                                 away_from_zero({3, 4}, 5))};
     }},
    {"GELU", [] { return std::vector{sample("GELU", std::make_shared<nn::GELU>(), away_from_zero({3, 4}, 5))}; }},
    {"Sequential",
     [] {
       lg::Generator generator(6);
       auto mlp = std::make_shared<nn::Sequential>(
           std::make_shared<nn::Linear>(3, 4, nn::LinearOptions{.dtype = lg::float64, .generator = &generator}),
           std::make_shared<nn::Tanh>(),
           std::make_shared<nn::Linear>(4, 2, nn::LinearOptions{.dtype = lg::float64, .generator = &generator}));
       return std::vector{sample("Sequential", mlp, random64({3, 3}, 7))};
     }},
    {"BatchNorm1d",
     [] {
       auto norm = std::make_shared<nn::BatchNorm1d>(3, nn::BatchNormOptions{.dtype = lg::float64});
       {  // non-trivial affine parameters, so their gradients are not hidden by ones/zeros
         lg::NoGradGuard no_grad;
         lg::Tensor weight = norm->weight(), bias = norm->bias();
         weight.copy_(lg::tensor({0.5, 1.5, -1.2}, lg::float64));
         bias.copy_(lg::tensor({0.1, -0.3, 0.7}, lg::float64));
       }
       // The training samples run first (and move the running statistics); the evaluation sample
       // then switches the module to evaluation, with the statistics they left.
       return std::vector<LayerSample>{
           sample("BatchNorm1d (training)", norm, random64({5, 3}, 8)),
           sample("BatchNorm1d (training, [N, C, L])", norm, random64({3, 3, 2}, 9)),
           {"BatchNorm1d (evaluation)", norm,
            [norm](const lg::Tensor& x) {
              norm->eval();
              return norm->forward(x);
            },
            random64({4, 3}, 10)},
       };
     }},
    {"BatchNorm2d",
     [] {
       auto norm = std::make_shared<nn::BatchNorm2d>(2, nn::BatchNormOptions{.dtype = lg::float64});
       return std::vector<LayerSample>{
           sample("BatchNorm2d (training)", norm, random64({2, 2, 3, 2}, 11)),
           {"BatchNorm2d (evaluation)", norm,
            [norm](const lg::Tensor& x) {
              norm->eval();
              return norm->forward(x);
            },
            random64({2, 2, 2, 2}, 12)},
       };
     }},
    {"Dropout",
     [] {
       auto generator = std::make_shared<lg::Generator>(13);
       auto dropout = std::make_shared<nn::Dropout>(nn::DropoutOptions{.p = 0.4, .generator = generator.get()});
       // Re-seed before every call so the mask is a constant of the function.
       return std::vector<LayerSample>{{"Dropout", dropout,
                                        [dropout, generator](const lg::Tensor& x) {
                                          generator->manual_seed(13);
                                          return dropout->forward(x);
                                        },
                                        random64({4, 5}, 14)}};
     }},
    {"Flatten",
     [] { return std::vector{sample("Flatten", std::make_shared<nn::Flatten>(), random64({2, 3, 2}, 15))}; }},
    {"Unflatten",
     [] {
       return std::vector{
           sample("Unflatten", std::make_shared<nn::Unflatten>(1, lg::Shape{2, 3}), random64({2, 6}, 16))};
     }},
});

std::string type_name(const nn::Module& module) {
  int status = 0;
  char* demangled = abi::__cxa_demangle(typeid(module).name(), nullptr, nullptr, &status);
  std::string name = status == 0 ? demangled : typeid(module).name();
  std::free(demangled);
  return name;
}

template <class List>
bool listed(const List& list, const std::string& name) {
  for (auto entry : list)
    if (entry == name) return true;
  return false;
}

// The classes declared in nn/'s headers (all folders) that derive from Module, directly or
// through another such class: read from the text "class Name : public Base", comments left out.
std::set<std::string> module_classes_in_nn() {
  std::map<std::string, std::string> base_of;
  for (const auto& file : std::filesystem::recursive_directory_iterator(std::filesystem::path(LATENTGEO_SOURCE_DIR) /
                                                                        "nn")) {
    if (file.path().extension() != ".hpp") continue;
    std::ifstream in(file.path());
    std::vector<std::string> words;  // identifiers and single punctuation characters
    for (std::string line; std::getline(in, line);) {
      line = line.substr(0, line.find("//"));
      for (std::size_t i = 0; i < line.size();) {
        const auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
        if (std::isspace(static_cast<unsigned char>(line[i]))) {
          ++i;
        } else if (is_word(line[i])) {
          std::size_t end = i;
          while (end < line.size() && is_word(line[end])) ++end;
          words.push_back(line.substr(i, end - i));
          i = end;
        } else {
          words.push_back(std::string(1, line[i++]));
        }
      }
    }
    for (std::size_t i = 0; i + 4 < words.size(); ++i) {
      if (words[i] != "class") continue;
      std::size_t next = i + 2;
      if (words[next] == "final") ++next;
      if (words[next] != ":" || words[next + 1] != "public") continue;
      std::size_t base = next + 2;  // the last name of a qualified base (nn::Module)
      while (base + 3 < words.size() && words[base + 1] == ":" && words[base + 2] == ":") base += 3;
      base_of[words[i + 1]] = words[base];
    }
  }
  std::set<std::string> modules{"Module"};
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& [name, base] : base_of)
      if (modules.count(base) > 0 && modules.insert(name).second) grew = true;
  }
  modules.erase("Module");
  return modules;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(layer_gradients)

BOOST_AUTO_TEST_CASE(every_layer_sample_passes_gradcheck_and_gradgradcheck) {
  std::size_t checked = 0;
  for (const LayerEntry& entry : layer_registry())
    for (const LayerSample& s : entry.samples()) {
      check_module(s.label, *s.module, s.forward, s.input, s.options);
      ++checked;
    }
  BOOST_TEST_MESSAGE("layer gradchecks: " << checked << " samples in " << layer_registry().size() << " entries");
}

BOOST_AUTO_TEST_CASE(every_listed_layer_has_a_gradcheck_entry) {
  std::set<std::string> registered;
  for (const LayerEntry& entry : layer_registry()) {
    registered.insert(entry.layer);  // a layer may have entries in several files (Sequential has two)
    BOOST_CHECK_MESSAGE(listed(nn::kLayers, entry.layer),
                        entry.layer << ": has a gradcheck entry but is not in nn/layer_list.hpp's kLayers");
    const auto samples = entry.samples();
    BOOST_CHECK_MESSAGE(!samples.empty(), entry.layer << ": no samples");
    for (const LayerSample& s : samples)
      BOOST_CHECK_MESSAGE(type_name(*s.module) == "lg::nn::" + entry.layer,
                          entry.layer << " [" << s.label << "]: the module is a " << type_name(*s.module));
  }
  for (auto layer : nn::kLayers)
    BOOST_CHECK_MESSAGE(registered.count(std::string(layer)) > 0,
                        layer << ": listed in nn/layer_list.hpp but has no gradcheck entry");
  BOOST_TEST(registered.size() == nn::kLayers.size());
}

BOOST_AUTO_TEST_CASE(every_module_class_in_nn_is_listed) {
  const std::set<std::string> modules = module_classes_in_nn();
  BOOST_REQUIRE_MESSAGE(modules.count("Linear") > 0, "the scan of " LATENTGEO_SOURCE_DIR "/nn found no Linear");
  for (const auto& name : modules)
    BOOST_CHECK_MESSAGE(listed(nn::kLayers, name) || listed(nn::kOtherModules, name),
                        name << ": derives from Module in nn/ but is in neither list of nn/layer_list.hpp");
  for (auto name : nn::kLayers)
    BOOST_CHECK_MESSAGE(modules.count(std::string(name)) > 0, name << ": listed, but no such Module class in nn/");
  for (auto name : nn::kOtherModules)
    BOOST_CHECK_MESSAGE(modules.count(std::string(name)) > 0, name << ": listed, but no such Module class in nn/");
}

BOOST_AUTO_TEST_CASE(linear_without_bias_has_only_a_weight) {
  lg::Generator generator(1);
  nn::Linear without_bias(3, 2, {.bias = false, .dtype = lg::float64, .generator = &generator});
  BOOST_TEST(without_bias.parameters().size() == 1u);
}

BOOST_AUTO_TEST_CASE(sequential_collects_its_layers_parameters) {
  lg::Generator generator(6);
  nn::Sequential mlp(std::make_shared<nn::Linear>(3, 4, nn::LinearOptions{.dtype = lg::float64, .generator = &generator}),
                     std::make_shared<nn::Tanh>(),
                     std::make_shared<nn::Linear>(4, 2, nn::LinearOptions{.dtype = lg::float64, .generator = &generator}));
  BOOST_TEST(mlp.parameters().size() == 4u);
}

BOOST_AUTO_TEST_SUITE_END()
