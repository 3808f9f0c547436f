# __title__

The `__name__` plugin, scaffolded by `stratum plugin new __name__`.

- Kind: app-level (`kind: 'app'`): its routes live under their own prefix, `/api/v1/__kebab__`
- Routes (v1): `GET /__kebab__/items` (signed-in users)
- Table: `__table__`
- Test: `test/plugins/__name__.test.ts`

## Settings

None.

## Enable / disable

Enabled by default. `PUT /api/v1/sys/plugins/__name__/status` switches it off and on; while off, its routes
answer 403.

## Remove

`npx tsx tools/cli/stratum.ts plugin remove __name__`
