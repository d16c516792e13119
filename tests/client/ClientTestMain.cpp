// The client tests' own main (they run in the "unit" scope too, where the shared Qt test main is not built):
// one QCoreApplication for the whole run.
#include <QCoreApplication>

#include <gtest/gtest.h>

#include <spdlog/spdlog.h>

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    spdlog::set_level(qEnvironmentVariableIsSet("DOCKSCOPE_TEST_VERBOSE") ? spdlog::level::debug
                                                                          : spdlog::level::off);
    return RUN_ALL_TESTS();
}
