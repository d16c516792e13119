#pragma once

#include <chrono>
#include <functional>

namespace dockscope::test {

using namespace std::chrono_literals;

/// Runs the event loop until `condition` holds or `timeout` passes. Returns whether it held.
bool waitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout = 10s);

} // namespace dockscope::test
