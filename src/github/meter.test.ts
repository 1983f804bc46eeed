import { describe, expect, it } from "vitest";
import { CallCounts, metered } from "./meter.js";

describe("metered", () => {
  it("counts each call of a method by its name, not the calls the object makes to itself", async () => {
    class Thing {
      readonly name = "thing";
      async a() {
        return this.b();
      }
      b() {
        return 2;
      }
    }
    const counts = new CallCounts();
    const thing = metered(new Thing(), counts);
    expect(await thing.a()).toBe(2);
    expect(thing.b()).toBe(2);
    expect(thing.name).toBe("thing");
    expect(counts.all()).toEqual({ a: 1, b: 1 });
    expect(counts.of("c")).toBe(0);
  });
});
