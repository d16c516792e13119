#pragma once

#include "CommandLine.h"

// The commands of dockscope-cli. Each parses its own arguments and returns the process's exit code.
namespace dockscope::cli {

// ViewCommands.cpp
int stateCommand(const Invocation& invocation);
int watchCommand(const Invocation& invocation);
int eventsCommand(const Invocation& invocation);

// StreamCommands.cpp
int logsCommand(const Invocation& invocation);
int statsCommand(const Invocation& invocation);

// ContainerCommands.cpp: start, stop, restart, kill, pause, unpause, rm (invocation.words names which).
int containerActionCommand(const Invocation& invocation);
int renameCommand(const Invocation& invocation);
int inspectCommand(const Invocation& invocation);
int runCommand(const Invocation& invocation);

// ResourceCommands.cpp: image rm|tag|pull|prune, volume create|rm|prune, network create|rm|connect|
// disconnect|prune (invocation.words names which).
int imageCommand(const Invocation& invocation);
int volumeCommand(const Invocation& invocation);
int networkCommand(const Invocation& invocation);

} // namespace dockscope::cli
