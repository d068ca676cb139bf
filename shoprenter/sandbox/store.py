"""The stored state: collection -> list of items in stored form.

Stored form (the contract): every item has ``id`` (and ``innerId`` where the
resource has one), links are ``{"id": …}``, scalars are the API's strings.
The lists in ``data`` are the ones checkout.place_order appends to.
"""
from . import dates
from .errors import ApiError, bad_data
from .ids import entity_of, make_id, parse_id
from .links import is_link, link_id, store_value
from .resources import COLLECTIONS, PRIMARY, SEED_SHAPE


def single_key(resource_id):
    "The numeric key of a one-column id ('order-order_id=172' -> 172), or None"
    try:
        _, columns = parse_id(resource_id)
    except (ValueError, TypeError):
        return None
    if len(columns) == 1:
        value = next(iter(columns.values()))
        if value.isdigit():
            return int(value)
    return None


class Store:

    def __init__(self, seed):
        self.data = {collection: [] for collection in COLLECTIONS}
        self.index = {collection: {} for collection in COLLECTIONS}
        self.next_key = dict.fromkeys(COLLECTIONS, 1)
        # the ids renamed items had: they still name them (the API id still works)
        self.aliases = {collection: {} for collection in COLLECTIONS}
        # Back-link indexes for related(), {(collection, field): (generation, {id: [items]})},
        # valid while no write came after them: every write counts a generation.
        self.generation = 0
        self._backlinks = {}
        for collection, items in (seed or {}).items():
            if collection not in SEED_SHAPE:
                raise ValueError(f'seed: unknown collection {collection!r}')
            for raw in items:
                self.insert(SEED_SHAPE[collection], raw, seed=True)

    # --- reading --------------------------------------------------------------

    def get(self, collection, resource_id):
        if not isinstance(resource_id, str):
            return None
        found = self.index.get(collection, {}).get(resource_id)
        if found is None and resource_id in self.aliases.get(collection, ()):
            return self.aliases[collection][resource_id]
        return found

    def related(self, collection, field, resource_id):
        """Items of collection whose link field names resource_id, in stored order.

        A page of orders asks this for every order's lines and totals: an index
        built once per (collection, field) since the last write answers it."""
        generation, index = self._backlinks.get((collection, field), (None, None))
        if generation != self.generation:
            index = {}
            for item in self.data.get(collection, ()):
                index.setdefault(link_id(item.get(field)), []).append(item)
            self._backlinks[(collection, field)] = (self.generation, index)
        return list(index.get(resource_id, ()))

    def items(self, collection):
        return self.data[collection]

    # --- writing --------------------------------------------------------------

    def insert(self, resource, raw, *, seed=False, outer_id=None):
        "Create an item from written fields; return it"
        self.generation += 1
        raw = dict(raw)
        raw_id = raw.pop('id', None) or outer_id  # data.id sets the outer id
        if raw_id is not None and not seed:
            raw_id = self._new_id(resource, raw_id)
        item = {}
        nested = self._apply(resource, item, raw, creating=True, seed=seed)
        self._assign_key(resource, item, raw_id)
        if self.get(resource.collection, item['id']) is not None:
            if seed:
                raise ValueError(f'seed: duplicate id {item["id"]} in {resource.collection}')
            raise ApiError(409, 40901, f'Resource already exists: {item["id"]}')
        for name in ('dateCreated', 'dateUpdated'):
            field = resource.fields.get(name)
            if field and not dates.comparable(item.get(name)):
                item[name] = dates.now_text(field.date_format or dates.ISO)
        self.data[resource.collection].append(item)
        self.index[resource.collection][item['id']] = item
        self._write_nested(resource, item, nested, replace=False, seed=seed)
        return item

    def update(self, resource, item, raw, *, replace_nested=True):
        """Change an item with written fields (PUT, or POST to an existing id).

        An id in the data that is not the item's renames it (sets its outer id)."""
        self.generation += 1
        raw = dict(raw)
        new_id = raw.pop('id', None)
        if new_id in (None, '') or (isinstance(new_id, (str, int))
                and self.get(resource.collection, str(new_id)) is item):
            new_id = None
        else:
            new_id = self._new_id(resource, new_id)
        nested = self._apply(resource, item, raw, creating=False, seed=False)
        if new_id is not None:
            self._rename(resource.collection, item, new_id)
        self.touch(resource, item)
        self._write_nested(resource, item, nested, replace=replace_nested, seed=False)
        return item

    def touch(self, resource, item):
        field = resource.fields.get('dateUpdated')
        if field:
            item['dateUpdated'] = dates.now_text(field.date_format or dates.ISO)

    def delete(self, resource, item):
        self.generation += 1
        collection = resource.collection
        self.data[collection].remove(item)
        del self.index[collection][item['id']]
        aliases = self.aliases[collection]
        for alias in [alias for alias, named in aliases.items() if named is item]:
            del aliases[alias]
        # Items that only exist inside this one go with it (descriptions, lines).
        for field in SEED_SHAPE[collection].fields.values():
            if field.kind == 'list' and field.backlink and field.collection in self.data:
                for child in self.related(field.collection, field.backlink, item['id']):
                    self.delete(PRIMARY[field.collection], child)

    def adopt_new_items(self):
        "Index items appended straight to data (checkout), filling ids if missing"
        self.generation += 1
        for collection, items in self.data.items():
            index = self.index[collection]
            for item in items:
                if item.get('id') in index and index[item['id']] is item:
                    continue
                resource = SEED_SHAPE[collection]
                self._assign_key(resource, item, item.get('id'))
                index[item['id']] = item

    # --- helpers --------------------------------------------------------------

    def _new_id(self, resource, value):
        "A written id as the item's id: any text, but no id of another entity"
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise bad_data('id: a text is expected')
        value = str(value)
        if entity_of(value) not in (None, resource.entity):
            raise ApiError(400, 40007, f'Wrong resource id: {value}')
        if self.get(resource.collection, value) is not None:
            raise ApiError(409, 40901, f'Resource already exists: {value}')
        return value

    def _rename(self, collection, item, new_id):
        "Give item a new id; links to it follow, its old id stays an alias"
        self.generation += 1
        old_id = item['id']
        del self.index[collection][old_id]
        aliases = self.aliases[collection]
        aliases[old_id] = item
        aliases.pop(new_id, None)
        item['id'] = new_id
        self.index[collection][new_id] = item
        for items in self.data.values():
            for other in items:
                for name, value in other.items():
                    if name != 'id':
                        _relink(value, old_id, new_id)

    def _apply(self, resource, item, raw, *, creating, seed):
        "Write raw fields into item; return the nested lists to write after"
        raw.pop('href', None)
        if not seed:
            self._check_write(resource, item, raw, creating)
        nested = {}
        for name, value in raw.items():
            field = resource.fields.get(name)
            if field is None:
                item[name] = store_value(value)
            elif field.kind == 'scalar':
                item[name] = field.normalize(value)
            elif field.kind in ('link', 'embed'):
                item[name] = self._link(field, value, check=not seed)
            elif field.kind == 'list' and field.backlink \
                    and field.collection in self.data:
                if not isinstance(value, list):
                    raise bad_data(f'{name}: a list is expected')
                nested[name] = value
            elif field.kind in ('relation', 'subpath'):
                continue  # computed from the item's id
            else:
                item[name] = store_value(value)
        return nested

    def _check_write(self, resource, item, raw, creating):
        unknown = [name for name in raw if name not in resource.fields]
        if unknown:
            raise bad_data(f'Unknown field(s): {", ".join(unknown)}')
        read_only = [name for name in raw if name in resource.read_only
            or (not creating and name in resource.create_only)]
        if read_only:
            raise ApiError(400, 40002, f'Read-only field(s): {", ".join(read_only)}')
        if creating:
            missing = [name for name in resource.required
                if raw.get(name) in (None, '', {}, [])]
            if missing:
                raise ApiError(400, 40003, f'Required field(s): {", ".join(missing)}')

    def _link(self, field, value, check):
        if value is None or value == {} or value == '':
            return field.default()  # {} or, where the shop shows it so, None
        if not (is_link(value) or isinstance(value, str)):
            raise bad_data(f'{field.name}: a link {{"id": …}} is expected')
        target = link_id(value)
        if check and field.collection in self.index \
                and target not in self.index[field.collection]:
            raise bad_data(f'{field.name}: no {field.collection} with id {target}')
        return {'id': target}

    def _assign_key(self, resource, item, raw_id):
        collection = resource.collection
        counter = self.next_key[collection]
        if resource.inner_id:
            inner = item.get('innerId') or single_key(raw_id) or counter
            item['innerId'] = str(inner)
            key = int(item['innerId']) if item['innerId'].isdigit() else counter
            item['id'] = raw_id or make_id(resource.entity, **{resource.key[0]: item['innerId']})
        elif isinstance(resource.key[0], tuple):
            key = counter
            columns = {column: single_key(link_id(item.get(link)))
                for column, link in resource.key}
            if raw_id:
                item['id'] = raw_id
            elif None not in columns.values():
                item['id'] = make_id(resource.entity, **columns)
            else:  # unlinked description: number it like anything else
                item['id'] = make_id(resource.entity, id=counter)
        else:
            key = single_key(raw_id) or counter
            item['id'] = raw_id or make_id(resource.entity, **{resource.key[0]: key})
        self.next_key[collection] = max(counter, key + 1)

    def _write_nested(self, resource, item, nested, *, replace, seed):
        "Inline lists of an extend resource go to their own collection"
        for name, values in nested.items():
            field = resource.fields[name]
            child_resource = PRIMARY[field.collection]
            if replace:
                for child in self.related(field.collection, field.backlink, item['id']):
                    self.delete(child_resource, child)
            for raw in values:
                raw = dict(raw)
                raw.pop(field.backlink, None)
                existing = self.get(field.collection, raw.get('id'))
                if existing is not None and not seed:
                    self.update(child_resource, existing, raw)
                else:
                    raw[field.backlink] = {'id': item['id']}
                    self.insert(child_resource, raw, seed=seed)


def _relink(value, old_id, new_id):
    "Stored links {'id': old_id} inside value now name new_id"
    if isinstance(value, dict):
        if value.keys() == {'id'} and value['id'] == old_id:
            value['id'] = new_id
        else:
            for item in value.values():
                _relink(item, old_id, new_id)
    elif isinstance(value, list):
        for item in value:
            _relink(item, old_id, new_id)
