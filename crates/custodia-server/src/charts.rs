//! Charts for the console, drawn on the server as SVG by plotters. A chart carries
//! no text of its own: its title, legend and numbers are HTML around it (a caption
//! and a table, escaped by the page's template), so the SVG is marked decorative
//! for assistive technologies and nothing from the register reaches it.

use plotters::prelude::*;

/// Colours of the series, in order; each has a 3:1 contrast with white (WCAG 1.4.11)
/// and they differ in lightness as well as hue.
pub const PALETTE: [(u8, u8, u8); 4] = [
    (0x1a, 0x7f, 0x37), // given: green
    (0xb3, 0x26, 0x1e), // refused: red
    (0x5a, 0x4f, 0xcf), // withdrawn: violet
    (0x6e, 0x77, 0x81), // other: grey
];

const WIDTH: u32 = 480;
const HEIGHT: u32 = 160;
const GAP: i32 = 4;

#[derive(Debug, thiserror::Error)]
#[error("drawing a chart failed: {0}")]
pub struct ChartError(String);

/// Stacked bars, one per period (a week): `series[s][p]` is the count of series `s`
/// in period `p`. Bars are scaled to the tallest period; an all-zero chart draws
/// only its baseline.
pub fn stacked_bars(series: &[Vec<u64>]) -> Result<String, ChartError> {
    let periods = series.iter().map(Vec::len).max().unwrap_or(0);
    let totals: Vec<u64> = (0..periods)
        .map(|p| series.iter().map(|s| s.get(p).copied().unwrap_or(0)).sum())
        .collect();
    let tallest = totals.iter().copied().max().unwrap_or(0).max(1);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        let fail = |e: &dyn std::fmt::Display| ChartError(e.to_string());
        let baseline = HEIGHT as i32 - 1;
        root.draw(&PathElement::new(
            vec![(0, baseline), (WIDTH as i32, baseline)],
            BLACK.stroke_width(1),
        ))
        .map_err(|e| fail(&e))?;
        if periods > 0 {
            let slot = WIDTH as i32 / periods as i32;
            for p in 0..periods {
                let left = p as i32 * slot + GAP / 2;
                let right = left + slot - GAP;
                let mut bottom = baseline;
                for (s, values) in series.iter().enumerate() {
                    let count = values.get(p).copied().unwrap_or(0);
                    if count == 0 {
                        continue;
                    }
                    let height = (count as f64 / tallest as f64 * f64::from(HEIGHT - 8)).round();
                    let top = bottom - (height as i32).max(1);
                    let (r, g, b) = PALETTE[s.min(PALETTE.len() - 1)];
                    root.draw(&Rectangle::new(
                        [(left, top), (right, bottom)],
                        RGBColor(r, g, b).filled(),
                    ))
                    .map_err(|e| fail(&e))?;
                    bottom = top;
                }
            }
        }
        root.present().map_err(|e| fail(&e))?;
    }
    Ok(decorative(&svg))
}

/// One horizontal bar split in proportion to `parts` (e.g. banner choices: all
/// accepted, some, all refused).
pub fn proportion_bar(parts: &[u64]) -> Result<String, ChartError> {
    let total: u64 = parts.iter().sum();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, 24)).into_drawing_area();
        let fail = |e: &dyn std::fmt::Display| ChartError(e.to_string());
        let mut left = 0i32;
        for (i, part) in parts.iter().enumerate() {
            if *part == 0 || total == 0 {
                continue;
            }
            let width = (*part as f64 / total as f64 * f64::from(WIDTH)).round() as i32;
            let (r, g, b) = PALETTE[i.min(PALETTE.len() - 1)];
            root.draw(&Rectangle::new(
                [(left, 0), ((left + width).min(WIDTH as i32), 24)],
                RGBColor(r, g, b).filled(),
            ))
            .map_err(|e| fail(&e))?;
            left += width;
        }
        root.present().map_err(|e| fail(&e))?;
    }
    Ok(decorative(&svg))
}

/// The numbers are in the table next to the chart: screen readers skip the SVG.
fn decorative(svg: &str) -> String {
    svg.replacen(
        "<svg ",
        "<svg aria-hidden=\"true\" focusable=\"false\" class=\"chart\" ",
        1,
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn rect_heights(svg: &str) -> Vec<i32> {
        svg.lines()
            .filter(|l| l.starts_with("<rect"))
            .map(|l| {
                let h = l.split("height=\"").nth(1).unwrap();
                h[..h.find('"').unwrap()].parse().unwrap()
            })
            .collect()
    }

    #[test]
    fn bars_are_stacked_and_scaled_to_the_tallest_week() {
        // Two weeks: 10 given + 5 refused, then 3 given.
        let svg = stacked_bars(&[vec![10, 3], vec![5, 0]]).unwrap();
        assert!(svg.starts_with("<svg aria-hidden=\"true\""));
        assert!(!svg.contains("<text"), "charts carry no text");
        let heights = rect_heights(&svg);
        // Week 1's two segments fill the height; week 2's bar is a fifth of it.
        assert_eq!(heights.len(), 3);
        let full = f64::from(HEIGHT - 8);
        assert_eq!(heights[0] + heights[1], full as i32);
        assert!(
            (f64::from(heights[2]) - full / 5.0).abs() <= 2.0,
            "{heights:?}"
        );
        assert!(svg.contains("#1A7F37") || svg.contains("#1a7f37"), "{svg}");
    }

    #[test]
    fn an_empty_chart_is_only_a_baseline() {
        let svg = stacked_bars(&[vec![0, 0], vec![0, 0]]).unwrap();
        assert!(rect_heights(&svg).is_empty());
        assert!(svg.contains("<polyline") || svg.contains("<path") || svg.contains("<line"));
    }

    #[test]
    fn a_proportion_bar_splits_its_width() {
        let svg = proportion_bar(&[3, 1]).unwrap();
        let widths: Vec<i32> = svg
            .lines()
            .filter(|l| l.starts_with("<rect"))
            .map(|l| {
                let w = l.split("width=\"").nth(1).unwrap();
                w[..w.find('"').unwrap()].parse().unwrap()
            })
            .collect();
        assert_eq!(widths, vec![360, 120]);
    }
}
