/**
 * The image tag a stack deploys from its own repositories, or none yet.
 *
 * A stack creates its repositories, so on its first apply they are empty: a service started on an
 * empty repository fails deployment after deployment. Until a tag is given, every gated service
 * therefore exists with 0 tasks and a scaling range of 0..0; once the tag is set (after the images
 * are pushed), counts and ranges are the configured ones. Every service of the library's patterns
 * decides this in one place: here.
 */
export class ImageRelease {
  /** A release of `tag` (undefined: no images yet). */
  constructor(
    /** The image tag, once images are pushed. */
    public readonly tag: string | undefined,
  ) {}

  /** Whether images exist: a tag was given. */
  public get ready(): boolean {
    return this.tag !== undefined;
  }

  /** `<repository url>:<tag>`; `latest` until a tag is given (no task runs it then). */
  public image(repository: { readonly repositoryUrl: string }): string {
    return `${repository.repositoryUrl}:${this.tag ?? 'latest'}`;
  }

  /** `count` once images exist, else 0. */
  public tasks(count: number): number {
    return this.ready ? count : 0;
  }

  /** `items` once images exist, else none (scheduled scaling actions, for one). */
  public whenReady<T>(items: readonly T[]): T[] {
    return this.ready ? [...items] : [];
  }
}
