#define BOOST_TEST_MODULE test_optim
#include <boost/test/unit_test.hpp>
