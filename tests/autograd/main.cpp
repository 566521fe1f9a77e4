#define BOOST_TEST_MODULE test_autograd
#include <boost/test/unit_test.hpp>
