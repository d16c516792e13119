// Frames: JSON text, MessagePack binary, zstd-compressed binary holding either; parsed through a bounded SAX.
#include "dockscope/protocol/Codec.h"

#include "Compression.h"
#include "WireFields.h"

#include <cmath>
#include <limits>

namespace dockscope::protocol {

namespace {

using nlohmann::json;

// nlohmann's DOM builder behind limits a peer cannot talk its way past: nesting depth (the MessagePack reader
// recurses once per level, so depth is stack), finite numbers only (NaN would break equality and JSON), no
// binary values (JSON has none, so a message could not be re-encoded as JSON) and, for MessagePack, strings
// that are UTF-8 (the JSON lexer checks that itself).
class BoundedSax {
public:
    using number_integer_t = json::number_integer_t;
    using number_unsigned_t = json::number_unsigned_t;
    using number_float_t = json::number_float_t;
    using string_t = json::string_t;
    using binary_t = json::binary_t;

    BoundedSax(json& root, bool checkUtf8)
        : dom_(root, false)
        , checkUtf8_(checkUtf8)
    {}

    const std::string& error() const { return error_; }

    bool null() { return dom_.null(); }
    bool boolean(bool value) { return dom_.boolean(value); }
    bool number_integer(number_integer_t value) { return dom_.number_integer(value); }
    bool number_unsigned(number_unsigned_t value) { return dom_.number_unsigned(value); }
    bool number_float(number_float_t value, const string_t& text)
    {
        if (!std::isfinite(value))
            return refuse("a number is not finite");
        return dom_.number_float(value, text);
    }
    bool string(string_t& value) { return utf8(value) && dom_.string(value); }
    bool binary(binary_t&) { return refuse("binary and extension values are not allowed"); }
    bool key(string_t& value) { return utf8(value) && dom_.key(value); }
    bool start_object(std::size_t size) { return enter() && dom_.start_object(size); }
    bool end_object()
    {
        --depth_;
        return dom_.end_object();
    }
    bool start_array(std::size_t size) { return enter() && dom_.start_array(size); }
    bool end_array()
    {
        --depth_;
        return dom_.end_array();
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e)
    {
        error_ = e.what();
        return false;
    }

private:
    bool refuse(std::string why)
    {
        error_ = std::move(why);
        return false;
    }
    bool enter()
    {
        if (++depth_ > kMaxNestingDepth)
            return refuse("nested deeper than " + std::to_string(kMaxNestingDepth) + " levels");
        return true;
    }
    bool utf8(const string_t& value)
    {
        return !checkUtf8_ || wire::validUtf8(value) || refuse("a string is not valid UTF-8");
    }

    nlohmann::detail::json_sax_dom_parser<json> dom_;
    bool checkUtf8_;
    std::size_t depth_ = 0;
    std::string error_;
};

json parse(std::string_view bytes, Encoding encoding)
{
    json root;
    BoundedSax sax(root, encoding == Encoding::Msgpack);
    bool ok = false;
    try {
        ok = encoding == Encoding::Json
                 ? json::sax_parse(bytes.begin(), bytes.end(), &sax)
                 : json::sax_parse(bytes.begin(), bytes.end(), &sax, json::input_format_t::msgpack, true);
    } catch (const json::exception& e) {
        throw ProtocolError(errors::Malformed, std::string("message: ") + e.what());
    }
    if (!ok)
        throw ProtocolError(errors::Malformed, std::string("message: not valid ") +
                                                   (encoding == Encoding::Json ? "JSON" : "MessagePack") +
                                                   ": " + sax.error());
    if (!root.is_object())
        throw ProtocolError(errors::Malformed, "message: expected an object, got " + wire::typeName(root));
    return root;
}

// A compressed payload keeps its encoding: a JSON object starts with '{' (after optional whitespace), which
// no MessagePack map does (0x7b is a positive fixint there).
Encoding sniff(std::string_view payload)
{
    const auto first = payload.find_first_not_of(" \t\r\n");
    return first != std::string_view::npos && payload[first] == '{' ? Encoding::Json : Encoding::Msgpack;
}

} // namespace

Frame encode(const json& message, Encoding encoding)
{
    if (encoding == Encoding::Json)
        return Frame{false, message.dump(-1, ' ', false, json::error_handler_t::replace)};
    Frame frame{true, {}};
    json::to_msgpack(message, nlohmann::detail::output_adapter<char>(frame.bytes));
    return frame;
}

Frame encode(const ClientMessage& message, Encoding encoding)
{
    return encode(toJson(message), encoding);
}

Frame encode(const ServerMessage& message, Encoding encoding)
{
    return encode(toJson(message), encoding);
}

json decodeFrame(const Frame& frame, std::size_t maxBytes, std::size_t maxDecompressedBytes)
{
    if (frame.bytes.size() > maxBytes)
        throw ProtocolError(errors::TooLarge, "message: " + std::to_string(frame.bytes.size()) +
                                                  " bytes, more than the limit of " +
                                                  std::to_string(maxBytes));
    if (!frame.binary)
        return parse(frame.bytes, Encoding::Json);
    if (!zstd::isCompressed(frame.bytes))
        return parse(frame.bytes, Encoding::Msgpack);
    const std::string payload = zstd::decompress(frame.bytes, maxDecompressedBytes);
    return parse(payload, sniff(payload));
}

ClientMessage decodeClientFrame(const Frame& frame, const Limits& limits)
{
    return clientMessageFromJson(decodeFrame(frame, limits.maxMessageBytes, limits.maxMessageBytes), limits);
}

ServerMessage decodeServerFrame(const Frame& frame)
{
    return serverMessageFromJson(decodeFrame(frame, std::numeric_limits<std::size_t>::max()));
}

} // namespace dockscope::protocol
