/** The emulator's SQL lexer: statement counting, parameter numbering, statement kinds. */
import { describe, expect, it } from 'vitest'
import { analyzeSql } from '../../../tools/emulators/libsql/sql-text.js'

describe('analyzeSql', () => {
  it('counts statements like sqlite3_complete, trigger bodies and quoted semicolons included', () => {
    expect(analyzeSql('SELECT 1').statements).toBe(1)
    expect(analyzeSql('SELECT 1;').statements).toBe(1)
    expect(analyzeSql(' ; ;; -- nothing\n /* at all */').statements).toBe(0)
    expect(analyzeSql('SELECT \';\', "a;b", [c;d], `e;f` -- ;\n; SELECT 2').statements).toBe(2)
    expect(analyzeSql('SELECT CASE WHEN 1 THEN 2 END; SELECT 3').statements).toBe(2)
    const trigger = `CREATE TEMP TRIGGER t AFTER INSERT ON x BEGIN
      UPDATE y SET n = CASE WHEN 1 THEN 2 END;
      INSERT INTO z VALUES (1);
    END; SELECT 1`
    expect(analyzeSql(trigger).statements).toBe(2)
    expect(analyzeSql('SELECT 1 /* unterminated ;').statements).toBe(1)
  })

  it("numbers parameters with SQLite's rules", () => {
    expect(analyzeSql('SELECT ?, ?, ?').params).toEqual([null, null, null])
    expect(analyzeSql('SELECT :a, @b, $c, :a, ?').params).toEqual([':a', '@b', '$c', null])
    expect(analyzeSql('SELECT ?3, ?, :x').params).toEqual([null, null, null, null, ':x'])
    expect(analyzeSql('SELECT \':no\', "@no" /* $no */, :yes').params).toEqual([':yes'])
    expect(analyzeSql('SELECT $a::b(c), ::').params).toEqual(['$a::b(c)'])
  })

  it('classifies statements', () => {
    expect(analyzeSql('  select 1').firstKeyword).toBe('SELECT')
    expect(analyzeSql('INSERT INTO t VALUES (1) RETURNING *')).toMatchObject({ isDml: true, isReadonly: false })
    expect(analyzeSql('WITH x AS (SELECT 1) DELETE FROM t')).toMatchObject({ isDml: true, isReadonly: false })
    expect(analyzeSql('WITH x AS (SELECT 1) SELECT * FROM x')).toMatchObject({ isDml: false, isReadonly: true })
    expect(analyzeSql('SELECT "delete" FROM t')).toMatchObject({ isDml: false, isReadonly: true })
    expect(analyzeSql('PRAGMA foreign_keys')).toMatchObject({ isReadonly: true, mayChangeSchema: true })
    expect(analyzeSql('PRAGMA foreign_keys = OFF')).toMatchObject({ isReadonly: false })
    expect(analyzeSql('CREATE TABLE t (x)')).toMatchObject({ isDml: false, isReadonly: false, mayChangeSchema: true })
    expect(analyzeSql('BEGIN IMMEDIATE')).toMatchObject({ isReadonly: true, mayChangeSchema: false })
    expect(analyzeSql('EXPLAIN QUERY PLAN SELECT 1').firstKeyword).toBe('EXPLAIN')
  })
})
