# One INTERFACE target carries the warning flags and Qt strictness defines; every Dockscope target links it.
add_library(dockscope_options INTERFACE)
add_library(Dockscope::options ALIAS dockscope_options)

target_compile_options(dockscope_options INTERFACE
    -Wall -Wextra -pedantic -Wold-style-cast -Woverloaded-virtual -Wnon-virtual-dtor
    -Wshadow -Wcast-align -Wnull-dereference -Wimplicit-fallthrough)

target_compile_definitions(dockscope_options INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_URL_CAST_FROM_STRING
    QT_USE_QSTRINGBUILDER
    QT_NO_KEYWORDS
    QT_NO_FOREACH
    QT_STRICT_ITERATORS
    QT_DISABLE_DEPRECATED_BEFORE=0x060400)

# Sanitizers, switched on by the asan preset.
option(DOCKSCOPE_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
if(DOCKSCOPE_SANITIZE)
    target_compile_options(dockscope_options INTERFACE
        -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_link_options(dockscope_options INTERFACE -fsanitize=address,undefined)
endif()
