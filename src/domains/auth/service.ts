/**
 * Login, token refresh and logout (docs/fba-compatibility.md, "Authentication"): every attempt is logged, unknown
 * user and wrong password look the same (D3), refresh tokens rotate with reuse detection (D4).
 */
import { eq } from 'drizzle-orm'
import { BadRequestError, ForbiddenError, ServiceUnavailableError, UnauthorizedError } from '../../core/errors'
import { type MessageKey, t } from '../../core/i18n'
import { loginLogInsert } from '../logs/login-log'
import { sysUser, type User } from '../users/schema'
import { loadAuthUser } from './auth-user-loader'
import { assertActive } from './authenticate'
import { captchaVerdict, queueCaptcha } from './captcha'
import { type AuthDeps, passwordHasher } from './deps'
import { loginFailed } from './events'
import { Lockout, queueGate } from './lockout'
import type { Session } from './sessions'
import { ACCESS_TYP, REFRESH_TYP, signToken, verifyToken } from './tokens'

const DAY_MS = 86_400_000

export interface IssuedTokens {
  accessToken: string
  /** Epoch seconds. */
  accessExp: number
  refreshToken: string | null
  refreshExp: number | null
  session: Session
}

export interface LoginResult extends IssuedTokens {
  user: User
  passwordExpireDaysRemaining: number | null
}

async function issueTokens(deps: AuthDeps, session: Session, withRefresh: boolean) {
  const { config } = deps
  const access = await signToken(config, ACCESS_TYP, {
    userId: session.userId,
    sid: session.sid,
    jti: session.accessJti,
    ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
  })
  const refresh = withRefresh
    ? await signToken(config, REFRESH_TYP, {
        userId: session.userId,
        sid: session.sid,
        jti: session.refreshJti,
        ttlSeconds: Math.max(1, Math.floor((session.expiresAt - Date.now()) / 1000)),
      })
    : null
  return {
    accessToken: access.token,
    accessExp: access.exp,
    refreshToken: refresh?.token ?? null,
    refreshExp: refresh?.exp ?? null,
    session,
  }
}

/**
 * Another access token for the session's current access jti, expiring with the one the last rotation issued
 * (`rotatedAt` + the access lifetime): it works exactly as long as that token, and issuing it changes nothing.
 */
async function issueAccessTwin(deps: AuthDeps, session: Session, rotatedAt: number): Promise<IssuedTokens> {
  const ttlSeconds = Math.max(
    1,
    Math.floor((rotatedAt + deps.config.ACCESS_TOKEN_TTL_SECONDS * 1000 - Date.now()) / 1000),
  )
  const access = await signToken(deps.config, ACCESS_TYP, {
    userId: session.userId,
    sid: session.sid,
    jti: session.accessJti,
    ttlSeconds,
  })
  return { accessToken: access.token, accessExp: access.exp, refreshToken: null, refreshExp: null, session }
}

export class AuthService {
  constructor(private readonly deps: AuthDeps) {}

  /** Logs the failed attempt and emits `login.failed` in the same batch, then throws `error`. */
  private async fail(username: string, user: User | undefined, key: MessageKey, error: Error): Promise<never> {
    const { db, lang, client, events } = this.deps
    await db.batch([
      loginLogInsert(db, { username, userUuid: user?.uuid ?? null, success: false, msg: t(lang, key), client }),
      events.emit(
        db,
        loginFailed,
        { username: username.slice(0, 64), user_id: user?.id ?? null, reason: key, ip: client.ip },
        user ? `user:${user.id}` : undefined,
      ),
    ])
    throw error
  }

  /**
   * A password login in three round trips on the critical path (docs/benchmarks.md, "Login"): one Redis request
   * before the password check (the route's strict rate limit, this client's lock, the username's failures, the
   * captcha), one database read (the user), one Redis request after it (the session; without multi-login the user's
   * other sessions end in the same request; this client's failures and lock cleared). The login-log row, the last
   * login time and dropping the cached snapshot follow after the answer. A failed attempt is logged before its error
   * goes out.
   */
  async login(input: {
    username: string
    password: string
    uuid?: string | null
    captcha?: string | null
    swagger?: boolean
  }): Promise<LoginResult> {
    const { db, keys, config, clientKey } = this.deps
    const { username, password } = input
    // Read alongside the first Redis request: an isolate that has not cached them for a while asks the cache first.
    const settingsRead = this.deps.settings()
    settingsRead.catch(() => undefined) // read below; a 429 decided first leaves a failure here unread
    const batch = this.deps.redisBatch()
    const judgeRateLimit = await this.deps.carryRateLimit(batch)
    // Known and unknown usernames take the same steps from here on (lockout.ts): the answers, the locks and the work
    // done tell nobody which usernames exist.
    const readGate = queueGate(batch, keys, username, clientKey)
    // Consumed whenever the input names one: whether it is needed is known only from the gate read in the same
    // request, and a code may be tried once anyway.
    const captcha = queueCaptcha(batch, keys, input)
    await batch.send()
    await judgeRateLimit()
    const settings = await settingsRead
    const lockout = new Lockout(this.deps.redis, keys, settings, username, clientKey)
    const gate = await readGate(settings)
    if (gate.captchaRequired) this.deps.later('login captcha step-up', lockout.markStepUp())
    if (settings.login.captchaEnabled || gate.captchaRequired) {
      try {
        await captchaVerdict(captcha, input.captcha)
      } catch (err) {
        // Redis not answering is no verdict on the captcha: fail closed with the 503, not a "captcha invalid".
        if (err instanceof ServiceUnavailableError) throw err
        const key = err instanceof BadRequestError ? err.messageKey : 'auth.captcha_invalid'
        return this.fail(username, undefined, key, err as Error)
      }
    }
    if (gate.minutesLocked > 0) {
      const minutes = gate.minutesLocked
      return this.fail(
        username,
        undefined,
        'auth.account_locked',
        new ForbiddenError('auth.account_locked', { params: { minutes } }),
      )
    }

    const [user] = await db.select().from(sysUser).where(eq(sysUser.username, username)).limit(1)
    const hasher = passwordHasher(config)
    // An unknown user costs the same PBKDF2 work as a real check: no timing oracle for usernames.
    const verdict = await hasher.verify(password, user?.password ?? null)
    if (!user || !verdict.ok) {
      const locked = await lockout.recordFailure()
      const key = locked ? 'auth.too_many_failures' : 'auth.invalid_credentials'
      return this.fail(username, user, key, new ForbiddenError(key))
    }
    if (user.status !== 1) return this.fail(username, user, 'auth.user_locked', new ForbiddenError('auth.user_locked'))

    let passwordExpireDaysRemaining: number | null = null
    const { passwordExpiryDays, passwordReminderDays } = settings.userSecurity
    if (passwordExpiryDays > 0) {
      const changed = user.lastPasswordChangedTime?.getTime()
      const expiresAt = changed === undefined ? 0 : changed + passwordExpiryDays * DAY_MS
      if (expiresAt <= Date.now()) {
        return this.fail(username, user, 'auth.password_expired', new ForbiddenError('auth.password_expired'))
      }
      const remaining = Math.floor((expiresAt - Date.now()) / DAY_MS)
      if (remaining <= passwordReminderDays) passwordExpireDaysRemaining = remaining
    }

    // A success clears this client's failures and lock in the session's request.
    const tokens = await this.startSession(user, Boolean(input.swagger), lockout.clientKeys())
    const now = new Date()
    const rehash = verdict.needsRehash ? password : undefined
    this.deps.later('record login', this.recordLogin(user, now, 'auth.login_success', rehash))
    return { ...tokens, user: { ...user, lastLoginTime: now }, passwordExpireDaysRemaining }
  }

  /**
   * Signs in a user another party vouched for (an OAuth2 provider, plugins/oauth2): the session, tokens, last login
   * time and login-log row (`logMsg`) of a password login, without the password and captcha steps. A disabled user is
   * refused like at the password login (403, logged).
   */
  async signInVerified(user: User, logMsg: MessageKey): Promise<IssuedTokens> {
    if (user.status !== 1)
      return this.fail(user.username, user, 'auth.user_locked', new ForbiddenError('auth.user_locked'))
    const tokens = await this.startSession(user, false)
    await this.recordLogin(user, new Date(), logMsg)
    return tokens
  }

  /**
   * A sign-in's login-log row and last login time (and the password rehashed to today's cost, when given), then the
   * user's cached snapshot dropped: it carries last_login_time, so it goes after the write it would otherwise outlive.
   */
  private async recordLogin(user: User, at: Date, logMsg: MessageKey, rehash?: string): Promise<void> {
    const { db, keys, lang, client, config } = this.deps
    const password = rehash === undefined ? undefined : await passwordHasher(config).hash(rehash)
    await db.batch([
      db
        .update(sysUser)
        .set({ lastLoginTime: at, ...(password === undefined ? {} : { password }) })
        .where(eq(sysUser.id, user.id)),
      loginLogInsert(db, { username: user.username, userUuid: user.uuid, success: true, msg: t(lang, logMsg), client }),
    ])
    await this.deps.redisPipeline()([['DEL', keys.authUser(user.id)]])
  }

  /**
   * A new session (= token family) in one Redis request, with `alsoDelete`; without multi-login the user's other
   * sessions end in the same request, and their sockets close after the answer.
   */
  private async startSession(user: User, swagger: boolean, alsoDelete: readonly string[] = []): Promise<IssuedTokens> {
    const { sessions, config, client } = this.deps
    const now = Date.now()
    const session: Session = {
      sid: crypto.randomUUID(),
      userId: user.id,
      accessJti: crypto.randomUUID(),
      refreshJti: crypto.randomUUID(),
      prevRefreshJti: null,
      rotatedAt: null,
      swagger,
      loginTime: now,
      expiresAt: now + (swagger ? config.ACCESS_TOKEN_TTL_SECONDS : config.REFRESH_TOKEN_TTL_SECONDS) * 1000,
      ip: client.ip,
      os: client.os,
      browser: client.browser,
      device: client.device,
      country: client.country,
      region: client.region,
      city: client.city,
    }
    const send = this.deps.redisPipeline()
    const ended = await sessions.start(send, session, { exclusive: !user.isMultiLogin, alsoDelete })
    if (ended.length) this.deps.later('close ended sessions', sessions.kick(ended))
    return issueTokens(this.deps, session, !swagger)
  }

  /**
   * Rotates the refresh token (D4). The current token rotates. The previous one inside the grace window — a response
   * lost in transit, or a second tab that refreshed with the cookie a moment too early — gets a twin of the session's
   * current access token (same jti and expiry) and nothing else: no refresh token, and the session is left as it is,
   * so a replayed token can neither take over the family nor end the legitimate client's access token. Anything else
   * is a replay of a stolen token, so the whole session is revoked.
   */
  async refresh(refreshToken: string | undefined): Promise<IssuedTokens> {
    if (!refreshToken) throw new BadRequestError('auth.refresh_expired')
    const { sessions, config, db, logger } = this.deps
    const claims = await verifyToken(config, REFRESH_TYP, refreshToken)
    const session = await sessions.get(claims.sid)
    if (!session || session.userId !== claims.userId || session.swagger)
      throw new UnauthorizedError('auth.refresh_expired')

    const now = Date.now()
    const current = claims.jti === session.refreshJti
    const inGrace =
      !current &&
      claims.jti === session.prevRefreshJti &&
      session.rotatedAt !== null &&
      now - session.rotatedAt <= config.REFRESH_REUSE_GRACE_SECONDS * 1000
    if (!current && !inGrace) {
      await sessions.revoke(session)
      logger.warn('refresh token reuse: session revoked', { security: true, user_id: session.userId, sid: session.sid })
      throw new UnauthorizedError('auth.refresh_reused')
    }

    const user = await loadAuthUser(db, session.userId)
    if (!user) {
      await sessions.revoke(session)
      throw new UnauthorizedError('auth.refresh_expired')
    }
    assertActive(user)
    if (inGrace && session.rotatedAt !== null) {
      logger.info('refresh token presented again inside the grace window: access token only', {
        security: true,
        user_id: session.userId,
        sid: session.sid,
      })
      return issueAccessTwin(this.deps, session, session.rotatedAt)
    }
    const next: Session = {
      ...session,
      accessJti: crypto.randomUUID(),
      refreshJti: crypto.randomUUID(),
      prevRefreshJti: session.refreshJti,
      rotatedAt: now,
    }
    await sessions.save(this.deps.redisPipeline(), next)
    return issueTokens(this.deps, next, true)
  }

  /** Ends the session named by the access token (even an expired one) or, failing that, by the refresh cookie. */
  async logout(accessToken: string | undefined, refreshToken: string | undefined): Promise<void> {
    const { sessions, config } = this.deps
    const candidates: [typeof ACCESS_TYP | typeof REFRESH_TYP, string | undefined][] = [
      [ACCESS_TYP, accessToken],
      [REFRESH_TYP, refreshToken],
    ]
    for (const [typ, token] of candidates) {
      if (!token) continue
      const claims = await verifyToken(config, typ, token, { ignoreExpiry: true }).catch(() => null)
      if (!claims) continue
      const session = await sessions.get(claims.sid)
      if (session && session.userId === claims.userId) await sessions.revoke(session)
      return
    }
  }
}
