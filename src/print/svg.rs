//! Draws laid-out pages as SVG: the preview the clerk sees before printing.
//! The UI provides the same Liberation Serif files as web fonts.

use super::layout::{Item, Page, Style, PT_TO_MM};

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub fn render(page: &Page) -> String {
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"form-page\" viewBox=\"0 0 {w} {h}\" width=\"{w}mm\" height=\"{h}mm\">\
         <rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"white\"/>",
        w = page.width,
        h = page.height
    );
    for item in &page.items {
        match item {
            Item::Text {
                x,
                y,
                size,
                style,
                text,
            } => {
                let (weight, slant) = match style {
                    Style::Regular => ("normal", "normal"),
                    Style::Bold => ("bold", "normal"),
                    Style::Italic => ("normal", "italic"),
                    Style::BoldItalic => ("bold", "italic"),
                };
                out.push_str(&format!(
                    "<text x=\"{x:.2}\" y=\"{y:.2}\" font-family=\"'Liberation Serif', 'Times New Roman', serif\" \
                     font-size=\"{:.3}\" font-weight=\"{weight}\" font-style=\"{slant}\" xml:space=\"preserve\">{}</text>",
                    size * PT_TO_MM,
                    escape(text)
                ));
            }
            Item::Line { x1, y1, x2, y2, width } => out.push_str(&format!(
                "<line x1=\"{x1:.2}\" y1=\"{y1:.2}\" x2=\"{x2:.2}\" y2=\"{y2:.2}\" stroke=\"black\" stroke-width=\"{:.3}\"/>",
                width * PT_TO_MM
            )),
            Item::Fill { x, y, w, h } => out.push_str(&format!(
                "<rect x=\"{x:.3}\" y=\"{y:.3}\" width=\"{w:.3}\" height=\"{h:.3}\" fill=\"black\"/>"
            )),
        }
    }
    out.push_str("</svg>");
    out
}
