// The model tests' own main: one QCoreApplication for the whole run (QSortFilterProxyModel and the testers
// need none to run, but QObject timers and queued calls would).
#include <QCoreApplication>

#include <gtest/gtest.h>

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
