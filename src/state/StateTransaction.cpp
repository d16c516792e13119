#include "dockscope/state/StateTransaction.h"

#include <cassert>

namespace dockscope::state {

const std::string& idOf(const Container& v)
{
    return v.id;
}
const std::string& idOf(const Image& v)
{
    return v.id;
}
const std::string& idOf(const Volume& v)
{
    return v.name;
}
const std::string& idOf(const Network& v)
{
    return v.id;
}
const std::string& idOf(const EngineInfo&)
{
    static const std::string id{kEngineId};
    return id;
}

void StateTransaction::put(Container container)
{
    auto id = container.id;
    containers_.insert_or_assign(std::move(id), std::move(container));
}

void StateTransaction::put(Image image)
{
    auto id = image.id;
    images_.insert_or_assign(std::move(id), std::move(image));
}

void StateTransaction::put(Volume volume)
{
    auto name = volume.name;
    volumes_.insert_or_assign(std::move(name), std::move(volume));
}

void StateTransaction::put(Network network)
{
    auto id = network.id;
    networks_.insert_or_assign(std::move(id), std::move(network));
}

void StateTransaction::setEngine(EngineInfo engine)
{
    engine_ = std::move(engine);
}

void StateTransaction::remove(EntityKind kind, std::string id)
{
    switch (kind) {
    case EntityKind::Container:
        containers_.insert_or_assign(std::move(id), std::nullopt);
        return;
    case EntityKind::Image:
        images_.insert_or_assign(std::move(id), std::nullopt);
        return;
    case EntityKind::Volume:
        volumes_.insert_or_assign(std::move(id), std::nullopt);
        return;
    case EntityKind::Network:
        networks_.insert_or_assign(std::move(id), std::nullopt);
        return;
    case EntityKind::Engine:
        assert(false && "the engine entity is never removed");
        return;
    }
}

bool StateTransaction::empty() const
{
    return containers_.empty() && images_.empty() && volumes_.empty() && networks_.empty() && !engine_;
}

} // namespace dockscope::state
