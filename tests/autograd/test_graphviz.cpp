// DOT output with names: named leaves and ops carry their names, unnamed ones
// keep the plain labels, and names the graph does not contain change nothing.
#include <boost/test/unit_test.hpp>

#include <string>

#include <latentgeo.hpp>

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_SUITE(graphviz)

BOOST_AUTO_TEST_CASE(named_leaves_and_ops_carry_their_names) {
  const auto x = lg::ones({4, 3});
  auto w1 = lg::ones({3, 5}).requires_grad_();
  auto b1 = lg::zeros({5}).requires_grad_();
  auto unnamed = lg::ones({5, 2}).requires_grad_();
  const auto hidden = lg::tanh(lg::matmul(x, w1) + b1);
  const auto loss = lg::matmul(hidden, unnamed).sum();
  const std::string dot = lg::to_dot(loss, {{"w1", w1}, {"b1", b1}, {"hidden", hidden}});
  BOOST_TEST(contains(dot, "label=\"w1\\n[3, 5] float32\""), dot);
  BOOST_TEST(contains(dot, "label=\"b1\\n[5] float32\""), dot);
  BOOST_TEST(contains(dot, "label=\"hidden = tanh\\n[4, 5] float32\""), dot);
  BOOST_TEST(contains(dot, "label=\"leaf\\n[5, 2] float32\""), dot);  // the unnamed leaf
  BOOST_TEST(contains(dot, "label=\"sum\\n"), dot);                   // an unnamed op
}

BOOST_AUTO_TEST_CASE(names_outside_the_graph_change_nothing_and_quotes_are_escaped) {
  auto w = lg::ones({2}).requires_grad_();
  const auto y = (w * 2.0).sum();
  auto elsewhere = lg::ones({3}).requires_grad_();
  const auto constant = lg::ones({3});
  BOOST_TEST(lg::to_dot(y, {{"elsewhere", elsewhere}, {"constant", constant}, {"undefined", lg::Tensor{}}}) ==
             lg::to_dot(y));
  const std::string dot = lg::to_dot(y, {{"say \"w\"", w}});
  BOOST_TEST(contains(dot, "label=\"say \\\"w\\\"\\n[2] float32\""), dot);
}

BOOST_AUTO_TEST_SUITE_END()
