#define BOOST_TEST_MODULE test_manifold
#include <boost/test/unit_test.hpp>
