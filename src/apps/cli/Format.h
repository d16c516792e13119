#pragma once

#include "dockscope/state/DockerEvent.h"
#include "dockscope/state/EngineState.h"
#include "dockscope/state/StateChange.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// The terminal client's pure text: tables, durations and sizes as the docker CLI writes them, change, event
// and stats lines, and container target resolution. No Qt, no I/O, no clock: callers pass `now`, so every
// function is a plain value test (tests/cli/FormatTest.cpp).
namespace dockscope::cli {

// Durations and sizes (go-units, as `docker ps`, `docker images` and `docker stats` use them) ------------

/// "Less than a second", "1 second", "5 seconds", "About a minute", "5 minutes", "About an hour",
/// "3 hours", "4 days", "3 weeks", "5 months", "2 years" (go-units HumanDuration).
std::string humanDuration(std::int64_t nanoseconds);
/// Decimal units with `precision` significant digits: 999B, 1.2kB, 3.46MB (go-units HumanSizeWithPrecision).
std::string humanSize(double bytes, int precision = 3);
/// Binary units with 4 significant digits: 512B, 1.5MiB, 7.629GiB (go-units BytesSize).
std::string bytesSize(double bytes);
/// The first 12 hex digits of an id, without a "sha256:" prefix.
std::string shortId(std::string_view id);
/// The wall-clock time of `ts` (ns since the epoch) in local time, "HH:MM:SS".
std::string clockTime(state::Timestamp ts);
/// `ts` in UTC as RFC 3339 with nanoseconds, "2024-05-01T12:03:04.000000123Z" (`docker logs -t`).
std::string rfc3339Nano(state::Timestamp ts);

// Tables -------------------------------------------------------------------------------------------------

/// Aligned columns three spaces apart (as Go's tabwriter in the docker CLI); widths count UTF-8 code
/// points; trailing blanks are trimmed. Every line ends with '\n'; an empty `headers` prints no header.
std::string formatTable(const std::vector<std::string>& headers,
                        const std::vector<std::vector<std::string>>& rows);

/// `docker ps`'s STATUS: "Created", "Up 5 minutes", "Up 2 hours (healthy)", "Up 3 seconds (Paused)",
/// "Exited (137) 2 hours ago", "Restarting (1) 5 seconds ago", "Removal In Progress", "Dead".
std::string containerStatus(const state::Container& container, state::Timestamp now);
/// `docker ps`'s PORTS: "0.0.0.0:8080->80/tcp, [::]:8080->80/tcp, 443/tcp".
std::string formatPorts(const std::vector<state::Port>& ports);

/// CONTAINER ID, NAME, IMAGE, STATE, HEALTH, STATUS, PORTS, PROJECT; sorted by name.
std::string containersTable(const state::EngineState::ContainerMap& containers, state::Timestamp now);
/// REPOSITORY, TAG, IMAGE ID, CREATED, SIZE, CONTAINERS: a row per tag (<none> when untagged).
std::string imagesTable(const state::EngineState::ImageMap& images, state::Timestamp now);
/// NAME, DRIVER, SCOPE, CONTAINERS, CREATED; sorted by name.
std::string volumesTable(const state::EngineState::VolumeMap& volumes, state::Timestamp now);
/// NETWORK ID, NAME, DRIVER, SCOPE, SUBNETS, CONTAINERS, FLAGS; sorted by name.
std::string networksTable(const state::EngineState::NetworkMap& networks);
/// The engine entity as "Key:  value" lines (status, version, platform, resources, counts, last error).
std::string engineSummary(const state::EngineInfo& engine, state::Timestamp now);

/// The report of a prune (Docker's prune document, any kind): "Deleted Images:" / "Deleted Volumes:" /
/// "Deleted Networks:" / "Deleted Containers:" and their lines, then "Total reclaimed space: 1.2MB" when
/// Docker reports it, as the docker CLI prints them.
std::string pruneReport(const nlohmann::json& report);
/// The lines of an image removal (Docker's list of {"Untagged"} and {"Deleted"}): "Untagged: busybox:latest",
/// "Deleted: sha256:...".
std::string imageRemovalReport(const nlohmann::json& report);

// Change, event and stats lines ----------------------------------------------------------------------------

/// The entity of `kind` and `id` in wire form, null when the state has none.
nlohmann::json entityJson(const state::EngineState& state, state::EntityKind kind, const std::string& id);
/// The changes that turn `before` into `after` (both snapshots of the same subscription), in kind order then
/// id order: what a watcher missed while it was away.
std::vector<state::StateChange> diffStates(const state::EngineState& before, const state::EngineState& after);

/// The name a person knows an entity by: a container's, volume's or network's name, an image's first tag
/// (else its short id), "engine". Taken from `value`, else `before`; empty when neither has one.
std::string entityName(state::EntityKind kind, const nlohmann::json& value, const nlohmann::json& before);

/// One readable line for a change (without the time and without '\n'): "container web-1 created",
/// "container web-1 started", "container web-1 updated state running→exited, exitCode 0→137",
/// "image busybox:latest removed". `before` is the entity's wire form before the change (null for created).
/// Times that change with the state (startedAt, finishedAt, statusSince) are left out unless nothing else
/// changed. `color` adds ANSI colours.
std::string changeLine(const state::StateChange& change, const nlohmann::json& before, bool color);
/// {"version", "kind", "op", "id", "name"?, "value"? (created), "diff"? (updated)}.
nlohmann::json changeJson(const state::StateChange& change, std::uint64_t version,
                          const nlohmann::json& before);

/// "container die web-1 (3f2a1b4c5d6e) exitCode=137" (without the time and without '\n').
std::string eventLine(const state::DockerEvent& event, bool color);

/// The header cells of `stats`: CONTAINER ID, NAME, CPU %, MEM USAGE / LIMIT, MEM %, NET I/O, BLOCK I/O,
/// PIDS.
std::vector<std::string> statsHeaders();
/// The cells of one stats sample (the protocol's stats stream-data: cpuPercent, memUsage, memLimit,
/// memPercent, netRx, netTx, blockRead, blockWrite, pids), as `docker stats` writes them.
std::vector<std::string> statsCells(std::string_view id, std::string_view name, const nlohmann::json& sample);
/// One line of stats cells in fixed-width columns (the header and every sample line up); NAME is `nameWidth`
/// wide. No '\n'.
std::string statsRow(const std::vector<std::string>& cells, std::size_t nameWidth);

// Targets ------------------------------------------------------------------------------------------------

/// How a container argument resolves against the replica's containers, as the docker daemon resolves it:
/// exact id, then exact name (a leading '/' ignored), then unique id prefix.
struct Resolution {
    enum class Outcome { Found, NotFound, Ambiguous };
    Outcome outcome = Outcome::NotFound;
    std::string id;                      ///< Found: the full id
    std::vector<std::string> candidates; ///< Ambiguous: "3f2a1b4c5d6e (web-1)", sorted
};
Resolution resolveContainer(const state::EngineState::ContainerMap& containers, std::string_view query);
/// "container id prefix '3f' is ambiguous: it matches 3f2a1b4c5d6e (web-1), 3f99... (db-1)".
std::string ambiguityMessage(std::string_view query, const std::vector<std::string>& candidates);

} // namespace dockscope::cli
