// dockscope_microbench: Google Benchmark microbenchmarks of the state library, the wire codec and the Docker
// response/event decoders, over realistic data (RealisticState.h) and recorded engine responses
// (tests/fixtures). Built only with -DDOCKSCOPE_BUILD_BENCHMARKS=ON; scripts/microbench.sh runs it. No timing
// is asserted anywhere: the figures are for reading.

#include "RealisticState.h"

#include "dockscope/docker/EventDecoder.h"
#include "dockscope/docker/HttpResponseParser.h"
#include "dockscope/protocol/Codec.h"
#include "dockscope/state/Digest.h"
#include "dockscope/state/EntityDiff.h"
#include "dockscope/state/EntityJson.h"
#include "dockscope/state/StateCodec.h"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using namespace dockscope;
using bench::RealisticState;

constexpr int kContainers = 1000;
constexpr state::Timestamp kNow = 1'795'600'000'000'000'000;

std::string readFixture(const std::string& relative)
{
    // stdio rather than iostreams: GCC 12's -Wnull-dereference trips over <streambuf> at -O2.
    const std::string path = std::string(DOCKSCOPE_FIXTURES_DIR) + "/" + relative;
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!file)
        throw std::runtime_error("cannot read " + path);
    std::string out;
    char buffer[65536];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, file.get())) > 0;)
        out.append(buffer, n);
    return out;
}

const state::EngineState& realisticState()
{
    static const state::EngineState s = RealisticState().state(kContainers);
    return s;
}

// A running, healthy container of the realistic state (the first one in map order).
const state::Container& runningContainer()
{
    for (const auto& [id, c] : realisticState().containers())
        if (c.state == state::ContainerState::Running && c.health == state::Health::Healthy)
            return c;
    throw std::logic_error("no running healthy container");
}

// The same container after `docker kill`: exited with 137, finished now, health gone.
state::Container killed(state::Container c)
{
    c.state = state::ContainerState::Exited;
    c.exitCode = 137;
    c.finishedAt = kNow;
    c.health = state::Health::None;
    return c;
}

// The same container after a failing health check: the one-field change of a health_status event.
state::Container unhealthy(state::Container c)
{
    c.health = state::Health::Unhealthy;
    return c;
}

// items/s plus the inverse, `name` = seconds per item (shown per item by the Markdown table of
// microbench.sh).
void perItem(benchmark::State& st, const char* name = "per_change")
{
    st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations()));
    st.counters[name] = benchmark::Counter(static_cast<double>(st.iterations()),
                                           benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// ---- state: diff, apply, commit, digest ----

void BM_EntityDiff_ContainerKilled(benchmark::State& st)
{
    const state::Container before = runningContainer();
    const state::Container after = killed(before);
    std::size_t patchBytes = 0;
    for (auto _ : st) {
        nlohmann::json patch = state::diff(before, after);
        benchmark::DoNotOptimize(patch);
        patchBytes = patch.dump().size();
    }
    perItem(st);
    st.counters["patch_bytes"] = static_cast<double>(patchBytes);
}
BENCHMARK(BM_EntityDiff_ContainerKilled);

void BM_EntityApplyDiff_ContainerKilled(benchmark::State& st)
{
    const state::Container before = runningContainer();
    const nlohmann::json patch = state::diff(before, killed(before));
    for (auto _ : st) {
        state::Container after = state::applyDiff(before, patch);
        benchmark::DoNotOptimize(after);
    }
    perItem(st);
}
BENCHMARK(BM_EntityApplyDiff_ContainerKilled);

// Two one-change batches that undo each other (healthy -> unhealthy -> healthy), made by the engine side's
// commit; the replica applies them alternately with their versions renumbered, so every iteration is one
// real, digest-checked apply of a one-change batch on a state of 1000 containers.
void BM_EngineState_ApplyOneChange(benchmark::State& st)
{
    state::EngineState source = realisticState();
    const state::Container healthy = runningContainer();
    state::StateTransaction there;
    there.put(unhealthy(healthy));
    state::Batch forth = source.commit(there, kNow);
    state::StateTransaction back;
    back.put(healthy);
    state::Batch backAgain = source.commit(back, kNow + 1);
    if (forth.changes.size() != 1 || backAgain.changes.size() != 1)
        throw std::logic_error("expected one-change batches");

    state::EngineState replica = realisticState();
    std::string error;
    bool odd = false;
    for (auto _ : st) {
        state::Batch& batch = odd ? backAgain : forth;
        batch.from = replica.version();
        batch.to = batch.from + 1;
        if (!replica.apply(batch, &error)) {
            st.SkipWithError(error.c_str());
            break;
        }
        odd = !odd;
    }
    perItem(st);
    st.counters["containers"] = static_cast<double>(replica.containers().size());
}
BENCHMARK(BM_EngineState_ApplyOneChange);

// The engine side of the same: commit() of a one-container transaction (works out the diff, the derived
// fields and the hash), alternating killed / running so that every commit changes something.
void BM_EngineState_CommitOneContainer(benchmark::State& st)
{
    state::EngineState source = realisticState();
    const state::Container running = runningContainer();
    const state::Container stopped = killed(running);
    bool odd = false;
    std::size_t changes = 0;
    for (auto _ : st) {
        state::StateTransaction tx;
        tx.put(odd ? running : stopped);
        state::Batch batch = source.commit(tx, kNow);
        changes += batch.changes.size();
        odd = !odd;
    }
    perItem(st, "per_commit");
    // container + engine (its running/stopped counts change too)
    st.counters["changes_per_commit"] = static_cast<double>(changes) / static_cast<double>(st.iterations());
}
BENCHMARK(BM_EngineState_CommitOneContainer);

// A container created and removed again on a network that all 1000 containers share (Docker's default bridge,
// or "none"): the network's derived `containers` list (1000 ids) changes with each. The engine's commit, then
// a replica's apply of the same two batches (what the server and every client do).
struct SharedNetwork {
    state::EngineState source;
    state::Container extra;
    state::Batch create;
    state::Batch remove;

    SharedNetwork()
        : source(realisticState())
    {
        state::StateTransaction all;
        state::Network shared;
        shared.id = "bench-shared-network-id";
        shared.name = "bench-shared";
        shared.driver = "bridge";
        shared.scope = "local";
        all.put(shared);
        for (const auto& [id, c] : source.containers()) {
            state::Container moved = c;
            moved.networks = {"bench-shared"};
            all.put(std::move(moved));
        }
        source.commit(all, kNow);
        extra = runningContainer();
        extra.id = std::string(64, 'e');
        extra.name = "bench-extra";
        extra.networks = {"bench-shared"};
        state::StateTransaction add;
        add.put(extra);
        create = source.commit(add, kNow + 1);
        state::StateTransaction drop;
        drop.remove(state::EntityKind::Container, extra.id);
        remove = source.commit(drop, kNow + 2);
    }
};

void BM_SharedNetwork_Commit_CreateRemove(benchmark::State& st)
{
    SharedNetwork fixture;
    bool odd = false;
    std::size_t changes = 0;
    for (auto _ : st) {
        state::StateTransaction tx;
        if (odd)
            tx.remove(state::EntityKind::Container, fixture.extra.id);
        else
            tx.put(fixture.extra);
        changes += fixture.source.commit(tx, kNow).changes.size();
        odd = !odd;
    }
    perItem(st, "per_commit");
    st.counters["changes_per_commit"] = static_cast<double>(changes) / static_cast<double>(st.iterations());
}
BENCHMARK(BM_SharedNetwork_Commit_CreateRemove);

void BM_SharedNetwork_Apply_CreateRemove(benchmark::State& st)
{
    SharedNetwork fixture;
    state::EngineState replica = fixture.source; // holds the extra container's removal already
    std::string error;
    bool odd = false;
    for (auto _ : st) {
        state::Batch& batch = odd ? fixture.remove : fixture.create;
        batch.from = replica.version();
        batch.to = batch.from + batch.changes.size();
        if (!replica.apply(batch, &error)) {
            st.SkipWithError(error.c_str());
            break;
        }
        odd = !odd;
    }
    perItem(st, "per_batch");
}
BENCHMARK(BM_SharedNetwork_Apply_CreateRemove);

// What apply and commit do per changed entity to keep the digest up to date: the entity's hash (wire form,
// canonical JSON, FNV-1a + splitmix); the state then subtracts the old hash and adds the new one.
void BM_Digest_EntityHash_Container(benchmark::State& st)
{
    const state::Container c = runningContainer();
    std::size_t canonicalBytes = 0;
    for (auto _ : st) {
        const nlohmann::json wire = c;
        benchmark::DoNotOptimize(state::entityHash(state::EntityKind::Container, c.id, wire));
    }
    canonicalBytes = state::canonicalJson(nlohmann::json(c)).size();
    perItem(st);
    st.counters["canonical_bytes"] = static_cast<double>(canonicalBytes);
}
BENCHMARK(BM_Digest_EntityHash_Container);

// The three steps of that hash, to see where its time goes: the entity to its wire JSON object, the object to
// canonical text (nlohmann's dump), and FNV-1a over the text.
void BM_Digest_Step1_ContainerToWireJson(benchmark::State& st)
{
    const state::Container c = runningContainer();
    for (auto _ : st) {
        nlohmann::json wire = c;
        benchmark::DoNotOptimize(wire);
    }
    perItem(st, "per_container");
}
BENCHMARK(BM_Digest_Step1_ContainerToWireJson);

void BM_Digest_Step2_CanonicalJson(benchmark::State& st)
{
    const nlohmann::json wire = runningContainer();
    std::size_t bytes = 0;
    for (auto _ : st) {
        const std::string text = state::canonicalJson(wire);
        bytes = text.size();
        benchmark::DoNotOptimize(text.data());
    }
    perItem(st, "per_container");
    st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations() * bytes));
}
BENCHMARK(BM_Digest_Step2_CanonicalJson);

void BM_Digest_Step3_Fnv1a(benchmark::State& st)
{
    const std::string text = state::canonicalJson(nlohmann::json(runningContainer()));
    for (auto _ : st)
        benchmark::DoNotOptimize(state::fnv1a64(text));
    perItem(st, "per_container");
    st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations() * text.size()));
}
BENCHMARK(BM_Digest_Step3_Fnv1a);

// The from-scratch digest of the whole 1000-container state (what checkConsistency and a snapshot decode do).
void BM_Digest_Full(benchmark::State& st)
{
    const state::EngineState& s = realisticState();
    const std::size_t entities =
        s.containers().size() + s.images().size() + s.volumes().size() + s.networks().size() + 1;
    for (auto _ : st)
        benchmark::DoNotOptimize(s.recomputeDigest());
    st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations() * entities));
    st.counters["entities"] = static_cast<double>(entities);
    st.counters["per_entity"] = benchmark::Counter(static_cast<double>(st.iterations() * entities),
                                                   benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_Digest_Full)->Unit(benchmark::kMillisecond);

// ---- protocol: a 1000-container snapshot as the server sends it and a client decodes it ----

enum class Wire { Json, Msgpack, JsonZstd, MsgpackZstd };

protocol::Frame snapshotFrame(Wire wire)
{
    const nlohmann::json message = protocol::snapshotJson(realisticState());
    const bool msgpack = wire == Wire::Msgpack || wire == Wire::MsgpackZstd;
    protocol::Frame frame =
        protocol::encode(message, msgpack ? protocol::Encoding::Msgpack : protocol::Encoding::Json);
    if (wire == Wire::JsonZstd || wire == Wire::MsgpackZstd)
        frame = protocol::compress(frame);
    return frame;
}

void snapshotCounters(benchmark::State& st, const protocol::Frame& frame)
{
    const std::size_t containers = realisticState().containers().size();
    st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations() * frame.bytes.size()));
    st.counters["frame_bytes"] = static_cast<double>(frame.bytes.size());
    st.counters["bytes_per_container"] =
        static_cast<double>(frame.bytes.size()) / static_cast<double>(containers);
    st.counters["per_container"] =
        benchmark::Counter(static_cast<double>(st.iterations() * containers),
                           benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// Encode: state -> JSON object -> wire bytes (-> zstd level 1), as the server does per snapshot.
void BM_Snapshot_Encode(benchmark::State& st, Wire wire)
{
    const state::EngineState& s = realisticState();
    const bool msgpack = wire == Wire::Msgpack || wire == Wire::MsgpackZstd;
    const bool zstd = wire == Wire::JsonZstd || wire == Wire::MsgpackZstd;
    protocol::Frame frame;
    for (auto _ : st) {
        frame = protocol::encode(protocol::snapshotJson(s),
                                 msgpack ? protocol::Encoding::Msgpack : protocol::Encoding::Json);
        if (zstd)
            frame = protocol::compress(frame);
        benchmark::DoNotOptimize(frame.bytes.data());
    }
    snapshotCounters(st, frame);
}
BENCHMARK_CAPTURE(BM_Snapshot_Encode, json, Wire::Json)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Snapshot_Encode, msgpack, Wire::Msgpack)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Snapshot_Encode, json_zstd, Wire::JsonZstd)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Snapshot_Encode, msgpack_zstd, Wire::MsgpackZstd)->Unit(benchmark::kMillisecond);

// Decode: wire bytes -> (inflate ->) JSON -> strict message decode -> EngineState (indexes rebuilt, digest
// recomputed and checked), as a client does on a snapshot.
void BM_Snapshot_Decode(benchmark::State& st, Wire wire)
{
    const protocol::Frame frame = snapshotFrame(wire);
    for (auto _ : st) {
        protocol::ServerMessage message = protocol::decodeServerFrame(frame);
        benchmark::DoNotOptimize(message);
    }
    snapshotCounters(st, frame);
}
BENCHMARK_CAPTURE(BM_Snapshot_Decode, json, Wire::Json)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Snapshot_Decode, msgpack, Wire::Msgpack)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Snapshot_Decode, json_zstd, Wire::JsonZstd)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Snapshot_Decode, msgpack_zstd, Wire::MsgpackZstd)->Unit(benchmark::kMillisecond);

// A one-change `changes` message (the common case on the wire): encode and decode.
void BM_Changes_EncodeDecode_OneChange(benchmark::State& st, protocol::Encoding encoding)
{
    state::EngineState source = realisticState();
    state::StateTransaction tx;
    tx.put(killed(runningContainer()));
    const state::Batch batch = source.commit(tx, kNow);
    std::size_t bytes = 0;
    for (auto _ : st) {
        const protocol::Frame frame =
            protocol::encode(protocol::changesJson(source.epoch(), batch), encoding);
        protocol::ServerMessage decoded = protocol::decodeServerFrame(frame);
        benchmark::DoNotOptimize(decoded);
        bytes = frame.bytes.size();
    }
    st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations()));
    st.counters["frame_bytes"] = static_cast<double>(bytes);
    st.counters["changes_in_batch"] = static_cast<double>(batch.changes.size());
}
BENCHMARK_CAPTURE(BM_Changes_EncodeDecode_OneChange, json, protocol::Encoding::Json);
BENCHMARK_CAPTURE(BM_Changes_EncodeDecode_OneChange, msgpack, protocol::Encoding::Msgpack);

// ---- docker_core: the HTTP response parser and the event decoder on recorded engine output ----

// The recorded chunked /events response (tests/fixtures/http/events-chunked.http), fed as a socket delivers
// it: in reads of at most `range(0)` bytes. Counts the raw response bytes.
void BM_HttpResponseParser_EventsChunked(benchmark::State& st)
{
    const std::string response = readFixture("http/events-chunked.http");
    const auto readSize = static_cast<std::size_t>(st.range(0));
    std::size_t bodyBytes = 0;
    docker::HttpResponseParser parser({[](const docker::HttpResponseHead&) {},
                                       [&bodyBytes](std::string_view body) { bodyBytes += body.size(); },
                                       [] {}});
    for (auto _ : st) {
        parser.reset();
        for (std::size_t pos = 0; pos < response.size(); pos += readSize)
            parser.feed(std::string_view(response).substr(pos, readSize));
        parser.finish();
        if (parser.hasError()) {
            st.SkipWithError(parser.errorMessage().c_str());
            break;
        }
    }
    benchmark::DoNotOptimize(bodyBytes);
    st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations() * response.size()));
    st.counters["response_bytes"] = static_cast<double>(response.size());
}
BENCHMARK(BM_HttpResponseParser_EventsChunked)->Arg(65536)->Arg(4096)->Arg(1);

// The recorded event lines of a real engine (tests/fixtures/engine/events.ndjson and events-variants.ndjson:
// container, image, volume, network, exec and health events), each decoded into a DockerEvent.
void BM_EventDecoder_RecordedLines(benchmark::State& st)
{
    std::vector<std::string> lines;
    std::size_t bytes = 0;
    for (const char* file : {"engine/events.ndjson", "engine/events-variants.ndjson"}) {
        const std::string text = readFixture(file);
        for (std::size_t pos = 0; pos < text.size();) {
            std::size_t end = text.find('\n', pos);
            if (end == std::string::npos)
                end = text.size();
            if (end > pos) {
                lines.push_back(text.substr(pos, end - pos));
                bytes += end - pos;
            }
            pos = end + 1;
        }
    }
    for (auto _ : st)
        for (const std::string& line : lines) {
            auto event = docker::decodeEvent(line);
            benchmark::DoNotOptimize(event);
        }
    st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations() * lines.size()));
    st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations() * bytes));
    st.counters["lines"] = static_cast<double>(lines.size());
    st.counters["per_event"] = benchmark::Counter(static_cast<double>(st.iterations() * lines.size()),
                                                  benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_EventDecoder_RecordedLines);

} // namespace

BENCHMARK_MAIN();
