#include "Compression.h"

#include "dockscope/protocol/Codec.h"

#include <zstd.h>
#include <zstd_errors.h>

#include <algorithm>
#include <memory>

namespace dockscope::protocol {

namespace zstd {

namespace {

constexpr unsigned char kMagic[] = {0x28, 0xB5, 0x2F, 0xFD};

struct FreeDCtx {
    void operator()(ZSTD_DCtx* context) const { ZSTD_freeDCtx(context); }
};

// A frame may ask for a decoding window as large as 2^27 bytes, allocated up front however little it holds:
// the window allowed is what `maxBytes` needs (at least 1 MiB, which any ordinary compressor's small frames
// stay in).
int windowLogFor(std::size_t maxBytes)
{
    int log = 20;
    while (log < 27 && (std::size_t{1} << log) < maxBytes)
        ++log;
    return log;
}

[[noreturn]] void refuse(std::size_t code)
{
    if (ZSTD_getErrorCode(code) == ZSTD_error_frameParameter_windowTooLarge)
        throw ProtocolError(errors::TooLarge, "message: the zstd frame needs a larger window than allowed");
    throw ProtocolError(errors::Malformed, std::string("message: bad zstd data: ") + ZSTD_getErrorName(code));
}

} // namespace

bool isCompressed(std::string_view bytes)
{
    return bytes.size() >= sizeof kMagic &&
           std::equal(std::begin(kMagic), std::end(kMagic), bytes.begin(),
                      [](unsigned char m, char b) { return m == static_cast<unsigned char>(b); });
}

std::string compress(std::string_view bytes)
{
    std::string out(ZSTD_compressBound(bytes.size()), '\0');
    const std::size_t size = ZSTD_compress(out.data(), out.size(), bytes.data(), bytes.size(), 1);
    if (ZSTD_isError(size))
        throw ProtocolError(errors::Internal, std::string("zstd: ") + ZSTD_getErrorName(size));
    out.resize(size);
    return out;
}

std::string decompress(std::string_view bytes, std::size_t maxBytes)
{
    const std::unique_ptr<ZSTD_DCtx, FreeDCtx> context(ZSTD_createDCtx());
    if (!context)
        throw ProtocolError(errors::Internal, "zstd: out of memory");
    ZSTD_DCtx_setParameter(context.get(), ZSTD_d_windowLogMax, windowLogFor(maxBytes));
    const unsigned long long announced = ZSTD_getFrameContentSize(bytes.data(), bytes.size());
    if (announced != ZSTD_CONTENTSIZE_UNKNOWN && announced != ZSTD_CONTENTSIZE_ERROR && announced > maxBytes)
        throw ProtocolError(errors::TooLarge, "message: the zstd frame holds " + std::to_string(announced) +
                                                  " bytes, more than the limit of " +
                                                  std::to_string(maxBytes));
    std::string out;
    ZSTD_inBuffer in{bytes.data(), bytes.size(), 0};
    std::size_t pending = 0;
    for (;;) {
        // Room for one byte past the limit, so that crossing it shows; never more than a chunk at a time.
        const std::size_t used = out.size();
        const std::size_t left = maxBytes - used;
        const std::size_t room = left >= ZSTD_DStreamOutSize() ? ZSTD_DStreamOutSize() : left + 1;
        out.resize(used + room);
        ZSTD_outBuffer buffer{out.data() + used, room, 0};
        pending = ZSTD_decompressStream(context.get(), &buffer, &in);
        out.resize(used + buffer.pos);
        if (ZSTD_isError(pending))
            refuse(pending);
        if (out.size() > maxBytes)
            throw ProtocolError(errors::TooLarge, "message: decompresses to more than the limit of " +
                                                      std::to_string(maxBytes) + " bytes");
        if (in.pos == in.size && buffer.pos < room)
            break;
    }
    if (pending != 0)
        throw ProtocolError(errors::Malformed, "message: the zstd frame is truncated");
    return out;
}

} // namespace zstd

bool zstdAvailable()
{
    return true;
}

Frame compress(const Frame& frame)
{
    return Frame{true, zstd::compress(frame.bytes)};
}

} // namespace dockscope::protocol
