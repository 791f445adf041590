/**
 * What every pricer works with (`PricingContext`): the stack's model, the assumptions, the price
 * table of the stack's region (and of the regions its aliased providers are in), and the lines
 * and unpriced resources of the estimate so far.
 *
 * A line priced for one resource is added with `line`; a line many resources share (NAT gateway
 * hours, S3 storage, Lambda requests, ...) with `aggregate`, which keeps one line per item and
 * unit price where it was first added and subtracts the account's free tier at the end, when
 * asked (`applyFreeTier`).
 */
import type { Resource, StackModel } from '../model';
import { literalString } from '../model';
import { AssumptionKey, Assumptions } from './assumptions';
import { Price, RegionPrices } from './prices';

/** One priced line. `floor` = `quantity.floor` × `unitPrice`, `ceiling` likewise. */
export interface CostLine {
  readonly item: string;
  /** How many `unit`s at the floor and at the ceiling. */
  readonly quantity: { readonly floor: number; readonly ceiling: number };
  readonly unit: string;
  /** USD per `unit` (per month where the unit is a month of something). */
  readonly unitPrice: number;
  /** USD per month at the stack's minimum capacity. */
  readonly floor: number;
  /** USD per month at the stack's maximum capacity. */
  readonly ceiling: number;
  /** Terraform addresses the line prices. */
  readonly resources: string[];
  readonly note?: string;
  /** The assumptions the line depends on. */
  readonly assumptions?: AssumptionKey[];
}

/** A resource the estimate could not price, and why. */
export interface Unpriced {
  readonly type: string;
  readonly address: string;
  readonly reason: string;
}

/** What an aggregated line may carry besides its quantities. */
export interface AggregateOptions {
  readonly note?: string;
  readonly assumptions?: AssumptionKey[];
  /** Units of the account's free tier, subtracted with `applyFreeTier`. */
  readonly freeTier?: number;
}

interface Aggregate extends AggregateOptions {
  readonly item: string;
  readonly unit: string;
  readonly unitPrice: number;
  floor: number;
  ceiling: number;
  readonly resources: string[];
}

type Entry = { readonly line: CostLine } | { readonly aggregate: Aggregate };

/** A number for a unit or a note: whole, or rounded to 3 decimals. */
export function fmtNum(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 1000) / 1000);
}

/** A readable name: the resource's own name argument when literal, else its logical id. */
export function nameOf(r: Resource, ...fields: string[]): string {
  for (const f of [...fields, 'name', 'function_name', 'alarm_name', 'dashboard_name', 'bucket', 'queue_name']) {
    const v = literalString(r.body[f]);
    if (v !== undefined) return v;
  }
  return r.name;
}

/** See the module comment. */
export class PricingContext {
  /** Resources the estimate could not price, in the order it found them. */
  public readonly unpriced: Unpriced[] = [];
  private readonly entries: Entry[] = [];
  private readonly aggregates = new Map<string, Aggregate>();
  private readonly used: AssumptionKey[] = [];

  constructor(
    public readonly model: StackModel,
    public readonly assumptions: Assumptions,
    /** The region priced. */
    public readonly region: string,
    /** Prices of `region`. */
    public readonly prices: RegionPrices,
    /** Prices of the regions of aliased providers (`aws.<alias>` -> region), when the table has them. */
    private readonly aliasPrices: ReadonlyMap<string, RegionPrices>,
  ) {}

  /** Hours in a month (an assumption). */
  public get hours(): number {
    return this.assumptions.hoursPerMonth;
  }

  /** An hourly price for a month. */
  public month(price: Price): number {
    return price.usd * this.hours;
  }

  /** Prices of the region `r` lives in (its provider's). */
  public pricesFor(r: Resource): RegionPrices {
    return typeof r.body.provider === 'string' ? this.aliasPrices.get(r.body.provider) ?? this.prices : this.prices;
  }

  /** Adds a line of its own. */
  public line(l: Omit<CostLine, 'floor' | 'ceiling'>): void {
    this.use(l.assumptions);
    this.entries.push({ line: { ...l, floor: l.quantity.floor * l.unitPrice, ceiling: l.quantity.ceiling * l.unitPrice } });
  }

  /** Adds `qFloor`/`qCeiling` units of `address` to the line shared by every resource of `item` at `unitPrice`. */
  public aggregate(item: string, unit: string, unitPrice: number, qFloor: number, qCeiling: number, address: string, options: AggregateOptions = {}): void {
    const key = `${item}|${unit}|${unitPrice}`;
    let a = this.aggregates.get(key);
    if (!a) {
      a = { item, unit, unitPrice, floor: 0, ceiling: 0, resources: [], ...options };
      this.aggregates.set(key, a);
      this.entries.push({ aggregate: a }); // the line stays where it was first added
    }
    a.floor += qFloor;
    a.ceiling += qCeiling;
    if (!a.resources.includes(address)) a.resources.push(address);
  }

  /** Reports `r` as not priced, with the reason. */
  public skip(r: Resource, reason: string): void {
    this.unpriced.push({ type: r.type, address: r.address, reason });
  }

  /** Whether `address` is reported as not priced (so far). */
  public isUnpriced(address: string): boolean {
    return this.unpriced.some((u) => u.address === address);
  }

  /** The lines, aggregates totalled (free tier subtracted when asked), and the assumptions they use in first-use order. */
  public finish(): { lines: CostLine[]; usedAssumptions: AssumptionKey[] } {
    const lines = this.entries.map((e) => ('line' in e ? e.line : this.total(e.aggregate)));
    return { lines, usedAssumptions: this.used };
  }

  private total(a: Aggregate): CostLine {
    const free = this.assumptions.applyFreeTier && a.freeTier ? a.freeTier : 0;
    const qf = Math.max(0, a.floor - free);
    const qc = Math.max(0, a.ceiling - free);
    const note = [a.note, free ? `free tier of ${fmtNum(free)} subtracted` : undefined].filter(Boolean).join('; ');
    this.use(a.assumptions);
    return {
      item: a.item,
      quantity: { floor: qf, ceiling: qc },
      unit: a.unit,
      unitPrice: a.unitPrice,
      floor: qf * a.unitPrice,
      ceiling: qc * a.unitPrice,
      resources: a.resources,
      ...(note ? { note } : {}),
      ...(a.assumptions ? { assumptions: a.assumptions } : {}),
    };
  }

  private use(keys: readonly AssumptionKey[] | undefined): void {
    keys?.forEach((k) => this.used.includes(k) || this.used.push(k));
  }
}

/** A pricer: prices the resources of some types (one module per family of services). */
export interface Pricer {
  /** The resource types it prices, in the order it prices them. */
  readonly types: readonly string[];
  /** Adds the lines of `r` (a resource of one of `types`), or reports it with `ctx.skip`. */
  price(r: Resource, ctx: PricingContext): void;
}
