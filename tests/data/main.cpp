#define BOOST_TEST_MODULE test_data
#include <boost/test/unit_test.hpp>
