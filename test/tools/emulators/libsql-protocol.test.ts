/**
 * libSQL emulator at the wire level: batons, Hrana 3 requests, cursors, describe, routing, and garbage input that
 * must end in protocol errors — never in a crash.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningLibsqlEmulator, startLibsqlEmulator } from '../../../tools/emulators/libsql/index.js'

let emu: RunningLibsqlEmulator

beforeAll(async () => {
  emu = await startLibsqlEmulator({ port: 0, memory: true })
})

afterAll(async () => {
  await emu.close()
})

interface Reply {
  status: number
  body: Record<string, unknown>
}

/** POSTs `body` as JSON, or as-is when it is already a string or a Blob (malformed input). */
async function post(path: string, body: unknown): Promise<Reply> {
  const res = await fetch(`${emu.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' || body instanceof Blob ? body : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, body: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : { text } }
}

const exec = (sql: string, extra: Record<string, unknown> = {}) => ({ type: 'execute', stmt: { sql, ...extra } })

type Results = { type: string; response?: Record<string, unknown>; error?: { message: string; code: string } }[]

function results(reply: Reply): Results {
  expect(reply.status).toBe(200)
  return reply.body.results as Results
}

async function expectAlive(): Promise<void> {
  const reply = await post('/v2/pipeline', { requests: [exec('SELECT 1'), { type: 'close' }] })
  expect(results(reply)[0]!.type).toBe('ok')
}

describe('streams and batons', () => {
  it('keeps a stream across requests with a fresh, single-use baton and null once closed', async () => {
    const first = await post('/proto/v2/pipeline', {
      requests: [exec('CREATE TABLE IF NOT EXISTS b (v)'), exec('BEGIN')],
    })
    const baton1 = first.body.baton as string
    expect(typeof baton1).toBe('string')
    expect(baton1.length).toBeGreaterThanOrEqual(32)
    expect(first.body.base_url).toBeNull()

    const second = await post('/proto/v2/pipeline', { baton: baton1, requests: [exec('INSERT INTO b VALUES (1)')] })
    const baton2 = second.body.baton as string
    expect(baton2).not.toBe(baton1)
    const replay = await post('/proto/v2/pipeline', { baton: baton1, requests: [] })
    expect(replay.status).toBe(400)
    expect(replay.body).toMatchObject({ code: 'STREAM_EXPIRED' })

    // A baton is bound to its database.
    const elsewhere = await post('/other/v2/pipeline', { baton: baton2, requests: [] })
    expect(elsewhere.status).toBe(400)

    const closing = await post('/proto/v2/pipeline', {
      baton: baton2,
      requests: [exec('SELECT count(*) FROM b'), { type: 'close' }, exec('SELECT 1')],
    })
    const r = results(closing)
    expect(r[0]!.response).toMatchObject({ type: 'execute', result: { rows: [[{ type: 'integer', value: '1' }]] } })
    expect(r[1]).toEqual({ type: 'ok', response: { type: 'close' } })
    expect(r[2]!.error!.code).toBe('STREAM_CLOSED')
    expect(closing.body.baton).toBeNull()
    // Closing rolled the transaction back.
    const after = await post('/proto/v2/pipeline', { requests: [exec('SELECT count(*) FROM b'), { type: 'close' }] })
    expect(results(after)[0]!.response).toMatchObject({ result: { rows: [[{ type: 'integer', value: '0' }]] } })
  })

  it('stores SQL per stream; a reused id is a protocol error, an unknown id a statement error', async () => {
    const reply = await post('/proto/v2/pipeline', {
      requests: [
        { type: 'store_sql', sql_id: 1, sql: 'SELECT ? + 1' },
        { type: 'execute', stmt: { sql_id: 1, args: [{ type: 'integer', value: '41' }] } },
        { type: 'execute', stmt: { sql_id: 2 } },
        { type: 'close_sql', sql_id: 1 },
        { type: 'close_sql', sql_id: 77 },
        { type: 'sequence', sql_id: 1 },
      ],
    })
    const r = results(reply)
    expect(r[1]!.response).toMatchObject({ result: { rows: [[{ type: 'integer', value: '42' }]] } })
    expect(r[2]!.error!.code).toBe('SQL_NOT_FOUND')
    expect(r[3]!.type).toBe('ok')
    expect(r[4]!.type).toBe('ok')
    expect(r[5]!.error!.code).toBe('SQL_NOT_FOUND')

    const dup = await post('/proto/v2/pipeline', {
      requests: [
        { type: 'store_sql', sql_id: 5, sql: 'SELECT 1' },
        { type: 'store_sql', sql_id: 5, sql: 'SELECT 2' },
      ],
    })
    expect(dup.status).toBe(400)
    expect(dup.body).toMatchObject({ code: 'SQL_STORE_ID_EXISTS' })
  })

  it('evaluates batch conditions (ok, error, not, and, or) and Hrana 3 is_autocommit / get_autocommit', async () => {
    const reply = await post('/proto/v3/pipeline', {
      requests: [
        {
          type: 'batch',
          batch: {
            steps: [
              { stmt: { sql: 'SELECT 1' } },
              { stmt: { sql: 'SELECT nope' } },
              { condition: { type: 'ok', step: 1 }, stmt: { sql: 'SELECT 2' } },
              { condition: { type: 'error', step: 1 }, stmt: { sql: 'SELECT 3' } },
              {
                condition: {
                  type: 'and',
                  conds: [
                    { type: 'ok', step: 0 },
                    { type: 'not', cond: { type: 'ok', step: 2 } },
                  ],
                },
                stmt: { sql: 'BEGIN' },
              },
              { condition: { type: 'is_autocommit' }, stmt: { sql: 'SELECT 5' } },
              {
                condition: {
                  type: 'or',
                  conds: [
                    { type: 'ok', step: 2 },
                    { type: 'ok', step: 9 },
                  ],
                },
                stmt: { sql: 'SELECT 6' },
              },
            ],
          },
        },
        { type: 'get_autocommit' },
        exec('ROLLBACK'),
        { type: 'get_autocommit' },
        { type: 'close' },
      ],
    })
    const r = results(reply)
    const batch = r[0]!.response!.result as { step_results: unknown[]; step_errors: ({ code: string } | null)[] }
    expect(batch.step_results.map((s) => s !== null)).toEqual([true, false, false, true, true, false, false])
    expect(batch.step_errors[1]!.code).toBe('SQLITE_ERROR')
    expect(batch.step_errors.filter((e) => e !== null)).toHaveLength(1)
    expect(r[1]!.response).toEqual({ type: 'get_autocommit', is_autocommit: false })
    expect(r[3]!.response).toEqual({ type: 'get_autocommit', is_autocommit: true })

    const v2 = await post('/proto/v2/pipeline', { requests: [{ type: 'get_autocommit' }] })
    expect(v2.status).toBe(400)
  })

  it('keeps PRAGMA foreign_keys per stream although streams share one connection', async () => {
    const setup = await post('/fk/v2/pipeline', {
      requests: [
        exec('CREATE TABLE p (id INTEGER PRIMARY KEY)'),
        exec('CREATE TABLE c (pid INTEGER REFERENCES p(id))'),
        exec('PRAGMA foreign_keys = OFF'),
        exec('INSERT INTO c VALUES (1)'),
      ],
    })
    expect(results(setup).map((r) => r.type)).toEqual(['ok', 'ok', 'ok', 'ok'])
    const other = await post('/fk/v2/pipeline', { requests: [exec('INSERT INTO c VALUES (2)'), { type: 'close' }] })
    expect(results(other)[0]!.error).toMatchObject({
      code: 'SQLITE_CONSTRAINT',
      message: expect.stringContaining('FOREIGN KEY'),
    })
    const again = await post('/fk/v2/pipeline', {
      baton: setup.body.baton,
      requests: [exec('INSERT INTO c VALUES (3)'), exec('PRAGMA foreign_keys'), { type: 'close' }],
    })
    const r = results(again)
    expect(r[0]!.type).toBe('ok')
    expect(r[1]!.response).toMatchObject({ result: { rows: [[{ type: 'integer', value: '0' }]] } })
  })

  it('describes statements', async () => {
    const reply = await post('/proto/v2/pipeline', {
      requests: [
        exec('CREATE TABLE IF NOT EXISTS d (id INTEGER PRIMARY KEY, name TEXT)'),
        { type: 'describe', sql: 'SELECT id, name FROM d WHERE id = :id AND name = ?5' },
        { type: 'describe', sql: 'INSERT INTO d (name) VALUES (?)' },
        { type: 'describe', sql: 'EXPLAIN SELECT 1' },
        { type: 'describe', sql: 'SELECT * FROM missing' },
        { type: 'close' },
      ],
    })
    const r = results(reply)
    expect(r[1]!.response!.result).toEqual({
      params: [{ name: ':id' }, { name: null }, { name: null }, { name: null }, { name: null }],
      cols: [
        { name: 'id', decltype: 'INTEGER' },
        { name: 'name', decltype: 'TEXT' },
      ],
      is_explain: false,
      is_readonly: true,
    })
    expect(r[2]!.response!.result).toMatchObject({ params: [{ name: null }], cols: [], is_readonly: false })
    expect(r[3]!.response!.result).toMatchObject({ is_explain: true, is_readonly: true })
    expect(r[4]!.error!.code).toBe('SQLITE_ERROR')
  })

  it('serves /v3/cursor as JSON lines', async () => {
    const res = await fetch(`${emu.url}/proto/v3/cursor`, {
      method: 'POST',
      body: JSON.stringify({
        batch: {
          steps: [
            { stmt: { sql: 'SELECT 1 AS a UNION ALL SELECT 2' } },
            { stmt: { sql: 'SELECT nope' } },
            { condition: { type: 'ok', step: 1 }, stmt: { sql: 'SELECT 3' } },
          ],
        },
      }),
    })
    expect(res.status).toBe(200)
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(typeof lines[0]!.baton).toBe('string')
    expect(lines.slice(1).map((l) => l.type)).toEqual(['step_begin', 'row', 'row', 'step_end', 'step_error'])
    expect(lines[1]).toMatchObject({ step: 0, cols: [{ name: 'a', decltype: null }] })
    expect(lines[2]).toEqual({ type: 'row', row: [{ type: 'integer', value: '1' }] })
    // The stream lives on: close it.
    const close = await post('/proto/v3/pipeline', { baton: lines[0]!.baton, requests: [{ type: 'close' }] })
    expect(close.body.baton).toBeNull()
  })

  it('reports SQL_NO_STATEMENT and ARGS_BOTH_POSITIONAL_AND_NAMED', async () => {
    const reply = await post('/proto/v2/pipeline', {
      requests: [
        exec('  -- only a comment'),
        exec('SELECT ?, :a', {
          args: [{ type: 'null' }],
          named_args: [{ name: 'a', value: { type: 'null' } }],
        }),
        exec('SELECT 1', { want_rows: false }),
        { type: 'close' },
      ],
    })
    const r = results(reply)
    expect(r[0]!.error!.code).toBe('SQL_NO_STATEMENT')
    expect(r[1]!.error!.code).toBe('ARGS_BOTH_POSITIONAL_AND_NAMED')
    expect(r[2]!.response).toMatchObject({ result: { rows: [], cols: [{ name: '1' }] } })
  })
})

describe('routing', () => {
  it('answers version probes, rejects protobuf and unknown paths', async () => {
    expect((await fetch(`${emu.url}/v2`)).status).toBe(200)
    expect((await fetch(`${emu.url}/v3`)).status).toBe(200)
    expect((await fetch(`${emu.url}/somedb/v3`)).status).toBe(200)
    expect((await fetch(`${emu.url}/v3-protobuf`)).status).toBe(404)
    expect((await post('/v3-protobuf/pipeline', {})).status).toBe(404)
    expect((await fetch(`${emu.url}/v2/pipeline`)).status).toBe(405)
    expect((await fetch(`${emu.url}/nope/nope/nope`)).status).toBe(404)
    expect((await post(`/${'x'.repeat(65)}/v2/pipeline`, { requests: [] })).status).toBe(404)
    expect((await post('/bad.name/v2/pipeline', { requests: [] })).status).toBe(404)
    expect((await fetch(`${emu.url}/health`)).status).toBe(200)
  })
})

describe('garbage input', () => {
  const bad: [string, unknown][] = [
    ['array body', []],
    ['empty object', {}],
    ['requests not an array', { requests: 5 }],
    ['baton of the wrong type', { baton: 12, requests: [] }],
    ['unknown baton', { baton: 'forged', requests: [] }],
    ['unknown request type', { requests: [{ type: 'nope' }] }],
    ['request not an object', { requests: ['execute'] }],
    ['stmt without sql', { requests: [{ type: 'execute', stmt: {} }] }],
    ['sql of the wrong type', { requests: [exec(5 as unknown as string)] }],
    ['both sql and sql_id', { requests: [{ type: 'execute', stmt: { sql: 'SELECT 1', sql_id: 1 } }] }],
    ['args not an array', { requests: [exec('SELECT ?', { args: 'x' })] }],
    ['value without type', { requests: [exec('SELECT ?', { args: [{ value: 1 }] })] }],
    [
      'integer out of range',
      { requests: [exec('SELECT ?', { args: [{ type: 'integer', value: '9223372036854775808' }] })] },
    ],
    ['integer not decimal', { requests: [exec('SELECT ?', { args: [{ type: 'integer', value: '0x10' }] })] }],
    ['float as string', { requests: [exec('SELECT ?', { args: [{ type: 'float', value: 'NaN' }] })] }],
    ['boolean value', { requests: [exec('SELECT ?', { args: [{ type: 'boolean', value: true }] })] }],
    ['named arg without name', { requests: [exec('SELECT :a', { named_args: [{ value: { type: 'null' } }] })] }],
    ['want_rows not boolean', { requests: [exec('SELECT 1', { want_rows: 'yes' })] }],
    ['huge sql_id', { requests: [{ type: 'store_sql', sql_id: 1e20, sql: 'SELECT 1' }] }],
    ['fractional sql_id', { requests: [{ type: 'close_sql', sql_id: 1.5 }] }],
    [
      'negative step',
      {
        requests: [
          { type: 'batch', batch: { steps: [{ condition: { type: 'ok', step: -1 }, stmt: { sql: 'SELECT 1' } }] } },
        ],
      },
    ],
    [
      'unknown condition',
      {
        requests: [{ type: 'batch', batch: { steps: [{ condition: { type: 'maybe' }, stmt: { sql: 'SELECT 1' } }] } }],
      },
    ],
    ['batch without steps', { requests: [{ type: 'batch', batch: {} }] }],
  ]

  for (const [name, body] of bad) {
    it(`answers 400 {message, code} for ${name}`, async () => {
      const reply = await post('/v2/pipeline', body)
      expect(reply.status).toBe(400)
      expect(typeof reply.body.message).toBe('string')
      expect(typeof reply.body.code).toBe('string')
    })
  }

  it('survives invalid JSON, random bytes, deep nesting and a huge body', async () => {
    expect((await post('/v2/pipeline', '{"requests": [')).status).toBe(400)
    const bytes = new Uint8Array(4096)
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 256
    expect((await post('/v2/pipeline', new Blob([bytes]))).status).toBe(400)
    const cond = `${'{"type":"not","cond":'.repeat(5000)}{"type":"ok","step":0}${'}'.repeat(5000)}`
    const deepBody = `{"requests":[{"type":"batch","batch":{"steps":[{"condition":${cond},"stmt":{"sql":"SELECT 1"}}]}}]}`
    const deep = await post('/v2/pipeline', deepBody)
    expect(deep.status).toBe(400)
    expect((await post('/v2/pipeline', '['.repeat(100_000))).status).toBe(400)
    await expectAlive()
  })

  it('survives random SQL and random argument lists', async () => {
    let seed = 42
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed % n
    }
    const tokens = [
      'SELECT',
      'INSERT',
      'INTO',
      'VALUES',
      'CREATE',
      'TABLE',
      'TRIGGER',
      'TEMP',
      'BEGIN',
      'END',
      'COMMIT',
      'ROLLBACK',
      'EXPLAIN',
      'PRAGMA',
      'foreign_keys',
      '=',
      'OFF',
      'WITH',
      'x',
      'fz',
      '(',
      ')',
      ',',
      ';',
      '?',
      '?3',
      '?99999',
      ':a',
      '@b',
      '$c',
      '$d::e(f)',
      "'str'",
      "'unterminated",
      '"id"',
      '[br',
      '`bt`',
      '--',
      '/*',
      '*/',
      '\u0000',
      '\ud800',
      'zeroblob(10)',
      'randomblob(4)',
      '1e999',
      '-9223372036854775808',
      "x'00ff'",
      "load_extension('x')",
      '*',
      'FROM',
      'WHERE',
      'RETURNING',
      'DROP',
      'VACUUM',
      'ANALYZE',
      "printf('%.*c', 5, 'x')",
    ]
    const values = [
      { type: 'null' },
      { type: 'integer', value: '-9223372036854775808' },
      { type: 'float', value: 1.5e-300 },
      { type: 'text', value: '\u0000\ud800' },
      { type: 'blob', base64: '!!not base64!!' },
    ]
    for (let round = 0; round < 300; round++) {
      const sql = Array.from({ length: 1 + rand(12) }, () => tokens[rand(tokens.length)]).join(rand(3) === 0 ? '' : ' ')
      const args = Array.from({ length: rand(4) }, () => values[rand(values.length)])
      const named =
        rand(2) === 0 ? [] : [{ name: [':a', 'b', '$c', '?1', ''][rand(5)], value: values[rand(values.length)] }]
      const kind = rand(4)
      const request =
        kind === 0
          ? { type: 'sequence', sql }
          : kind === 1
            ? { type: 'describe', sql }
            : { type: 'execute', stmt: { sql, args: named.length > 0 ? [] : args, named_args: named } }
      const reply = await post(`/fuzz${rand(3)}/v2/pipeline`, { requests: [request, { type: 'close' }] })
      expect([200, 400]).toContain(reply.status)
    }
    await expectAlive()
  })
})
