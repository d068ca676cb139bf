"Stored items -> API JSON, field by field as the resource declares (schema.py)."
from .derived import DERIVED
from .links import link_id, render_value
from .resources import PRIMARY


class Renderer:
    "Renders with hrefs under api_url (the URL the client called)"

    def __init__(self, store, api_url):
        self.store = store
        self.api_url = api_url

    def href(self, collection, resource_id):
        return f'{self.api_url}/{collection}/{resource_id}'

    def link(self, collection, resource_id):
        return {'href': self.href(collection, resource_id)}

    def item(self, resource, item):
        out = {'href': self.href(resource.path, item['id']), 'id': item['id']}
        for name, field in resource.fields.items():
            derive = DERIVED.get((resource.path, name))
            value = derive(self, item) if derive else None
            out[name] = self.field(field, item) if value is None else value
        return out

    def field(self, field, item):
        kind = field.kind
        stored = item.get(field.name, field.default()) if field.name in item \
            else field.default()
        if kind == 'scalar':
            return stored if isinstance(stored, str) else field.default()
        if kind == 'relation':
            return {'href': f'{self.api_url}/{field.collection}?{field.param}={item["id"]}'}
        if kind == 'subpath':
            return {'href': f'{self.href(field.collection, item["id"])}/{field.suffix}'}
        if kind == 'link':
            target = link_id(stored)
            return self.link(field.collection, target) if target else stored
        if kind == 'embed':
            return self.embedded(field.collection, stored)
        if kind == 'list' and field.backlink and field.collection in self.store.data:
            resource = PRIMARY[field.collection]
            return [self.item(resource, child) for child in
                self.store.related(field.collection, field.backlink, item['id'])]
        if kind == 'object' and isinstance(stored, dict):
            # every key of the example, even those the stored value lacks
            return {**field.default(), **render_value(stored, self.api_url)}
        return render_value(stored, self.api_url)

    def embedded(self, collection, stored):
        "A linked item rendered inline (orderExtend.currency, …)"
        target = link_id(stored)
        if not target:
            return stored
        found = self.store.get(collection, target)
        if found is None:
            return {'href': self.href(collection, target), 'id': target}
        return self.item(PRIMARY[collection], found)
