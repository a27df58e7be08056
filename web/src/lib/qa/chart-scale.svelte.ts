/**
 * How much bigger than the design size (17px type at 1920 wide) the page's type is: the desk's root font
 * grows with the screen, so a chart drawn in design units and scaled by this keeps its labels in
 * proportion to its rows on a 4K screen, as the HTML around it does.
 */
export class ChartScale {
  factor = $state(1);

  /** Call from an $effect: follows the root font size across resizes; returns the stop function. */
  follow(): () => void {
    const read = () => {
      const px = parseFloat(getComputedStyle(document.documentElement).fontSize);
      this.factor = Number.isFinite(px) && px > 0 ? px / 17 : 1;
    };
    read();
    window.addEventListener('resize', read);
    return () => window.removeEventListener('resize', read);
  }
}
