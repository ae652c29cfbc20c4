/** An axis-aligned box in chart coordinates. */
export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface LabelledPoint {
  x: number;
  y: number;
  radius: number;
  /** The label's width and height in chart units (estimated from its characters). */
  width: number;
  height: number;
}

export interface PlacedLabel {
  /** Where the text starts (text-anchor start) and its baseline. */
  x: number;
  baseline: number;
  /** True when the label sits away from its point and needs a leader line to it. */
  leader: boolean;
}

function overlaps(a: Box, b: Box): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

function circleBox(point: LabelledPoint): Box {
  return {
    left: point.x - point.radius,
    top: point.y - point.radius,
    right: point.x + point.radius,
    bottom: point.y + point.radius,
  };
}

/** Candidate top-left corners around a point: beside it first, then above and below, then further out. */
function candidates(point: LabelledPoint): Array<{ left: number; top: number; leader: boolean }> {
  const gap = 4;
  const { x, y, radius, width, height } = point;
  const right = x + radius + gap;
  const left = x - radius - gap - width;
  const middle = y - height / 2;
  const near = [
    { left: right, top: middle },
    { left, top: middle },
    { left: x - width / 2, top: y - radius - gap - height },
    { left: x - width / 2, top: y + radius + gap },
    { left: right, top: y - radius - height },
    { left: right, top: y + radius },
    { left, top: y - radius - height },
    { left, top: y + radius },
  ].map((corner) => ({ ...corner, leader: false }));
  // Further out, a line at a time up and down, on either side, with a leader line back to the point.
  const far = Array.from({ length: 12 }, (_, index) => index + 1).flatMap((step) =>
    [-1, 1].flatMap((direction) =>
      [10, 40].flatMap((offset) => [
        { left: right + offset, top: middle + direction * step * height, leader: true },
        { left: left - offset, top: middle + direction * step * height, leader: true },
      ]),
    ),
  );
  return [...near, ...far];
}

/**
 * Places one label per point so that no label overlaps another label or any point, trying spots beside,
 * above and below each point and then further out with a leader line. Points are placed in the order
 * given (put the most important first); a label that fits nowhere takes the spot with the fewest overlaps.
 */
export function placeLabels(points: readonly LabelledPoint[], bounds: Box): PlacedLabel[] {
  const circles = points.map(circleBox);
  const placed: Box[] = [];
  return points.map((point) => {
    let best: { box: Box; leader: boolean; collisions: number } | undefined;
    for (const corner of candidates(point)) {
      const box = {
        left: corner.left,
        top: corner.top,
        right: corner.left + point.width,
        bottom: corner.top + point.height,
      };
      const inside =
        box.left >= bounds.left && box.right <= bounds.right && box.top >= bounds.top && box.bottom <= bounds.bottom;
      if (!inside) continue;
      const collisions = [...placed, ...circles].filter((other) => overlaps(box, other)).length;
      if (best === undefined || collisions < best.collisions) best = { box, leader: corner.leader, collisions };
      if (collisions === 0) break;
    }
    const box = best?.box ?? { left: point.x + point.radius + 4, top: point.y - point.height / 2, right: 0, bottom: 0 };
    if (best !== undefined) placed.push(best.box);
    // Text baselines sit about a quarter of the line height above the box's bottom.
    return { x: box.left, baseline: box.top + point.height * 0.78, leader: best?.leader ?? false };
  });
}
