// Shared main for the GoogleTest executables that need Qt: one QCoreApplication for the whole run.
#include <QCoreApplication>

#include <gtest/gtest.h>

#include <spdlog/spdlog.h>

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    spdlog::set_level(qEnvironmentVariableIsSet("DOCKSCOPE_TEST_VERBOSE") ? spdlog::level::debug
                                                                          : spdlog::level::warn);
    return RUN_ALL_TESTS();
}
