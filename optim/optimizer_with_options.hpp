// OptimizerWithOptions<Options>: an Optimizer whose groups each keep an options
// struct of the optimiser's own type (SGDOptions, AdamOptions, ...), read in
// step() as plain fields and reached from outside through options(group).
//
// An options struct lists its fields once, by their state-dict names:
//   template <class F> void for_each_field(F&& f) { f("lr", lr); f("momentum", momentum); ... }
// with every field a double or a bool (saved as 0/1). It must have a double
// `lr`, the field lr()/set_lr() and the schedulers use. The concrete optimiser
// checks a whole struct in check_options(), which every way in goes through:
// add_group(), set_options() and load_state_dict().
#pragma once
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "optim/optimizer.hpp"

namespace lg::optim {

// An Optimizer whose groups each keep an Options struct, as described above.
template <class Options>
class OptimizerWithOptions : public Optimizer {
 public:
  // A group's options; throws ValueError on an unknown group.
  const Options& options(std::size_t group = 0) const {
    check_group(group, name_);
    return options_[group];
  }
  // Replaces a group's options after checking them (ValueError, nothing changed).
  void set_options(const Options& options, std::size_t group) {
    check_group(group, name_);
    check_lr_and_options(options, name_);
    options_[group] = options;
  }

 protected:
  // The base's constructor: a name and the per-parameter buffer names, no groups yet.
  using Optimizer::Optimizer;

  // Throws ValueError, starting with `op`, unless `options` is valid for this optimiser.
  virtual void check_options(const Options& options, std::string_view op) const = 0;

  // Checks the options (ValueError) and the parameters, then adds them as a new group.
  void add_group(NamedParameters params, const Options& options) {
    check_lr_and_options(options, name_);
    Optimizer::add_group(std::move(params));
    options_.push_back(options);
  }

  std::vector<Options> options_;  // [group], beside groups_

 private:
  template <class Field>
  static constexpr void check_field_type() {
    using T = std::remove_cvref_t<Field>;
    static_assert(std::is_same_v<T, double> || std::is_same_v<T, bool>, "option fields are doubles or bools");
  }

  void check_lr_and_options(const Options& options, std::string_view op) const {
    check_options(options, op);
    check<ValueError>(options.lr >= 0.0, op, "learning rate must be non-negative, got ", options.lr);
  }

  double group_lr(std::size_t group) const final { return options_[group].lr; }
  void set_group_lr(double lr, std::size_t group) final { options_[group].lr = lr; }

  std::vector<std::pair<std::string, double>> option_entries(std::size_t group) const final {
    std::vector<std::pair<std::string, double>> entries;
    Options copy = options_[group];  // for_each_field hands out references to fields
    copy.for_each_field([&](const char* name, const auto& field) {
      check_field_type<decltype(field)>();
      entries.emplace_back(name, static_cast<double>(field));
    });
    return entries;
  }

  void load_option_entries(const std::vector<std::vector<double>>& values, std::string_view op) final {
    std::vector<Options> loaded = options_;
    for (std::size_t g = 0; g < loaded.size(); ++g) {
      std::size_t index = 0;
      loaded[g].for_each_field([&](const char* name, auto& field) {
        check_field_type<decltype(field)>();
        const double value = values[g].at(index++);
        if constexpr (std::is_same_v<std::remove_cvref_t<decltype(field)>, bool>) {
          check<ValueError>(value == 0.0 || value == 1.0, op, "'group.", g, ".", name, "' is a flag, 0 or 1, got ",
                            value);
          field = value != 0.0;
        } else {
          field = value;
        }
      });
      check_lr_and_options(loaded[g], std::string(op) + ": group " + std::to_string(g));
    }
    options_ = std::move(loaded);
  }
};

}  // namespace lg::optim
