/** @jsxImportSource preact */
// A fleet card that redraws on the scheduler's turn, not on every render of the fleet: the fleet
// page re-sorts and filters cheaply, and the cards' DOM work is spread over animation frames.
import { Component, createRef } from "preact";
import { summarize } from "../../client/summary.ts";
import type { CardScheduler } from "../scheduler.ts";
import type { FleetStore } from "../store.ts";
import { HostCard } from "./host-card.tsx";

interface Props {
  id: string;
  store: FleetStore;
  scheduler: CardScheduler;
}

export class CardSlot extends Component<Props> {
  private readonly ref = createRef<HTMLLIElement>();
  private el: Element | null = null;

  override shouldComponentUpdate(next: Props): boolean {
    return next.id !== this.props.id || next.store !== this.props.store;
  }

  override componentDidMount(): void {
    const el = this.ref.current;
    if (el) {
      this.el = el;
      this.props.scheduler.register(el, () => this.forceUpdate());
    }
  }

  override componentWillUnmount(): void {
    if (this.el) this.props.scheduler.unregister(this.el);
  }

  override render() {
    const { store, id } = this.props;
    const host = store.host(id);
    return (
      <li ref={this.ref}>
        {host && (
          <HostCard
            host={host}
            summary={summarize(host, store.receiverNowMs())}
            lastUpdateMs={store.linkDown ? store.receivedAtMs : null}
            history={store.history(id)}
            spark={store.sparks?.byHost.get(id) ?? null}
          />
        )}
      </li>
    );
  }
}
