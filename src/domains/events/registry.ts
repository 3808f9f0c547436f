/**
 * Every event and consumer of the app's modules and plugins, built once when the app is assembled
 * (`appCatalogue`, src/app/domains.ts). Duplicate names, and consumers of events nobody defined, fail there.
 */
import type { AnyConsumerDefinition, EventDefinition } from './define'

export class EventRegistry {
  readonly #events = new Map<string, EventDefinition>()
  readonly #consumers = new Map<string, AnyConsumerDefinition>()
  readonly #byEvent = new Map<string, AnyConsumerDefinition[]>()

  constructor(events: readonly EventDefinition[], consumers: readonly AnyConsumerDefinition[]) {
    for (const event of events) {
      if (this.#events.has(event.name)) throw new Error(`event "${event.name}" is defined twice`)
      this.#events.set(event.name, event)
    }
    for (const consumer of consumers) {
      if (this.#consumers.has(consumer.name)) throw new Error(`event consumer "${consumer.name}" is defined twice`)
      if (this.#events.get(consumer.event.name) !== consumer.event)
        throw new Error(
          `event consumer "${consumer.name}" listens to "${consumer.event.name}", which no module defines`,
        )
      this.#consumers.set(consumer.name, consumer)
      this.#byEvent.set(consumer.event.name, [...(this.#byEvent.get(consumer.event.name) ?? []), consumer])
    }
  }

  event(name: string): EventDefinition | undefined {
    return this.#events.get(name)
  }

  consumer(name: string): AnyConsumerDefinition | undefined {
    return this.#consumers.get(name)
  }

  /** The consumers of an event, in registration order (none: the event is recorded and marked sent). */
  consumersOf(name: string): readonly AnyConsumerDefinition[] {
    return this.#byEvent.get(name) ?? []
  }

  events(): EventDefinition[] {
    return [...this.#events.values()]
  }
}
