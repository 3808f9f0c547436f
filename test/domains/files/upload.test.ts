/**
 * `POST /sys/files/upload` and `GET /static/upload/<key>` (docs/fba-compatibility.md, "Files"; docs/files.md), through
 * the app into the uploads bucket that miniflare emulates from wrangler.toml's `[[r2_buckets]]`.
 */
import { describe, expect, it } from 'vitest'
import type { fileRoutes } from '../../../src/domains/files/routes.v1'
import { seedAndSignIn } from '../../helpers/auth'
import { answer, api, type ClientOptions, failure, send } from '../../helpers/harness'
import { expectLogs } from '../../helpers/logs'
import { signedInWith } from '../../helpers/permissions'
import { mp4OfSize, pngOfSize, SAMPLE_TYPES, SAMPLES } from './samples'

const tokens = seedAndSignIn()

const MB = 1024 * 1024
const files = (token?: string, options?: ClientOptions) => api<typeof fileRoutes>(token, options).sys.files
const upload = (name: string, content: Uint8Array, token = tokens.admin, options?: ClientOptions) =>
  files(token, options).upload.$post({ form: { file: new File([content], name) } })

async function uploaded(name: string, content: Uint8Array, token = tokens.admin): Promise<string> {
  const { status, data } = await answer(upload(name, content, token))
  expect(status).toBe(200)
  return data.url
}

describe('POST /sys/files/upload', () => {
  it.each(Object.keys(SAMPLES) as (keyof typeof SAMPLES)[])(
    'stores a .%s and serves it back byte-identical with safe headers',
    async (ext) => {
      const url = await uploaded(`clip.${ext}`, SAMPLES[ext])
      expect(url).toMatch(new RegExp(`^/static/upload/[0-9a-f]{32}\\.${ext}$`))
      const res = await send('GET', url)
      expect(res.status).toBe(200)
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(SAMPLES[ext])
      expect(res.headers.get('content-type')).toBe(SAMPLE_TYPES[ext])
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox")
      expect(res.headers.get('content-disposition')).toBe(
        `inline; filename="${url.split('/').pop()}"; filename*=UTF-8''clip.${ext}`,
      )
    },
  )

  it('takes the extension in any case and a name with several dots', async () => {
    const url = await uploaded('my.holiday.JPEG', SAMPLES.jpg)
    expect(url).toMatch(/\.jpeg$/)
  })

  it('takes files larger than the global body limit, up to the type limit', async () => {
    // BODY_LIMIT_BYTES is 1 MiB; the upload route declares its own.
    const url = await uploaded('big.png', pngOfSize(5 * MB))
    const res = await send('GET', url)
    expect((await res.arrayBuffer()).byteLength).toBe(5 * MB)
  })

  it('gives the upload its own body limit with the version in a header too', async () => {
    const form = new FormData()
    form.append('file', new File([pngOfSize(2 * MB)], 'big.png'))
    const res = await send('POST', '/api/sys/files/upload', {
      token: tokens.admin,
      body: form,
      headers: { 'X-API-Version': 'v1' },
    })
    expect(res.status).toBe(200)
    await res.arrayBuffer()
  })

  it("refuses an image over 5 MB with fba's 400, localized", async () => {
    const en = await failure(upload('big.png', pngOfSize(5 * MB + 1)))
    expect(en.status).toBe(400)
    expect(en.body.code).toBe(400)
    expect(en.body.msg).toBe('The image exceeds the maximum size, please choose another')
    const zh = await failure(
      upload('big.png', pngOfSize(5 * MB + 1), tokens.admin, { headers: { 'Accept-Language': 'zh-CN' } }),
    )
    expect(zh.body.msg).toBe('图片超出最大限制，请重新选择')
  })

  it("refuses a video over 20 MB with fba's 400", async () => {
    const { status, body } = await failure(upload('long.mp4', mp4OfSize(20 * MB + 1)))
    expect(status).toBe(400)
    expect(body.msg).toBe('The video exceeds the maximum size, please choose another')
  })

  it('answers 413 for a body beyond the upload limit, before reading it', async () => {
    const { status, body } = await failure(upload('huge.mp4', mp4OfSize(21 * MB)))
    expect(status).toBe(413)
    expect(body.code).toBe(413)
  })

  it("refuses other formats with fba's 400 naming the extension", async () => {
    for (const name of ['page.html', 'logo.svg', 'script.js', 'noextension']) {
      const { status, body } = await failure(upload(name, SAMPLES.png))
      expect(status, name).toBe(400)
      expect(body.msg).toBe(`File format ${name.split('.').pop()} is not supported`)
    }
    const zh = await failure(upload('logo.svg', SAMPLES.png, tokens.admin, { headers: { 'Accept-Language': 'zh-CN' } }))
    expect(zh.body.msg).toBe('此文件格式 svg 暂不支持')
  })

  it('refuses a .png that is really HTML, and one that is really a JPEG', async () => {
    const html = new TextEncoder().encode('<!doctype html><script>alert(document.cookie)</script>')
    const fake = await failure(upload('avatar.png', html))
    expect(fake.status).toBe(400)
    expect(fake.body.msg).toBe('The file content is not a valid png file')
    expect((await failure(upload('avatar.png', SAMPLES.jpg))).status).toBe(400)
    expect((await failure(upload('empty.gif', new Uint8Array()))).status).toBe(400)
  })

  it('chooses the key itself: a path-like name cannot escape, and only shows in Content-Disposition', async () => {
    for (const name of ['../../etc/passwd.png', '..\\..\\win.ini.png', '/static/upload/owned.png', '%2e%2e%2fx.png']) {
      const url = await uploaded(name, SAMPLES.png)
      expect(url, name).toMatch(/^\/static\/upload\/[0-9a-f]{32}\.png$/)
      const res = await send('GET', url)
      const disposition = res.headers.get('content-disposition') ?? ''
      expect(disposition).not.toMatch(/[/\\]/)
      await res.arrayBuffer()
    }
  })

  it('needs a file in the `file` field (422 naming it)', async () => {
    const form = new FormData()
    form.append('other', new File([SAMPLES.png], 'a.png'))
    const { status, errors } = await failure(
      send('POST', '/api/v1/sys/files/upload', { token: tokens.admin, body: form }),
    )
    expect(status).toBe(422)
    expect(errors.map((e) => e.loc.join('.'))).toContain('body.file')
    const text = new FormData()
    text.append('file', 'not a file')
    expect((await failure(send('POST', '/api/v1/sys/files/upload', { token: tokens.admin, body: text }))).status).toBe(
      422,
    )
  })

  it('needs sys:file:upload: 401 without a token, 403 without the code, 200 with it', async () => {
    expect((await failure(upload('a.png', SAMPLES.png, ''))).status).toBe(401)
    expect((await failure(upload('a.png', SAMPLES.png, tokens.test))).status).toBe(403)
    const holder = await signedInWith(['sys:file:upload'])
    await uploaded('a.png', SAMPLES.png, holder)
  })

  it('answers 503 on a host without the uploads bucket', async () => {
    const logs = expectLogs({ status: 503 })
    const { status } = await failure(upload('a.png', SAMPLES.png, tokens.admin, { overrides: { UPLOADS: undefined } }))
    expect(status).toBe(503)
    expect(logs.lines.length).toBeLessThanOrEqual(1)
  })
})

describe('GET /static/upload/<key>', () => {
  it('serves one byte range as a 206 (video seeking), and the whole file for anything else', async () => {
    const url = await uploaded('clip.mp4', SAMPLES.mp4)
    const size = SAMPLES.mp4.length
    const part = async (range: string) => {
      const res = await send('GET', url, { headers: { Range: range } })
      return { res, bytes: new Uint8Array(await res.arrayBuffer()) }
    }
    const first = await part('bytes=0-9')
    expect(first.res.status).toBe(206)
    expect(first.res.headers.get('content-range')).toBe(`bytes 0-9/${size}`)
    expect(first.res.headers.get('content-length')).toBe('10')
    expect(first.res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(first.bytes).toEqual(SAMPLES.mp4.subarray(0, 10))
    const tail = await part('bytes=-5')
    expect(tail.res.status).toBe(206)
    expect(tail.res.headers.get('content-range')).toBe(`bytes ${size - 5}-${size - 1}/${size}`)
    expect(tail.bytes).toEqual(SAMPLES.mp4.subarray(size - 5))
    const rest = await part('bytes=100-')
    expect(rest.bytes).toEqual(SAMPLES.mp4.subarray(100))
    for (const range of ['bytes=0-1,5-6', 'items=0-1', 'bytes=-0', 'bytes=0-']) {
      const whole = await part(range)
      expect(whole.res.status, range).toBe(200)
      expect(whole.res.headers.get('accept-ranges')).toBe('bytes')
      expect(whole.bytes).toEqual(SAMPLES.mp4)
    }
  })

  it('is 404 for an unknown key and for anything not shaped like a stored key', async () => {
    for (const path of [
      '/static/upload/0123456789abcdef0123456789abcdef.png',
      '/static/upload/..%2F..%2Fwrangler.toml',
      '/static/upload/%2e%2e',
      '/static/upload/x.html',
    ]) {
      const res = await send('GET', path)
      expect(res.status, path).toBe(404)
      await res.arrayBuffer()
    }
  })
})
