//! Draws laid-out pages into a PDF with printpdf (fonts embedded and subset).

use printpdf::{
    Color, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point,
    Polygon, PolygonRing, Pt, Rgb, TextItem, WindingOrder,
};

use super::layout::{Item, Page, Style};
use crate::error::{Error, Result};

fn point(x: f32, y_from_top: f32, height: f32) -> Point {
    Point {
        x: Mm(x).into(),
        y: Mm(height - y_from_top).into(),
    }
}

pub fn render(title: &str, pages: &[Page]) -> Result<Vec<u8>> {
    let mut doc = PdfDocument::new(title);
    let mut fonts = Vec::new();
    for style in Style::ALL {
        let font = ParsedFont::from_bytes(style.bytes(), 0, &mut Vec::new()).ok_or(Error::Print {
            code: "font_unreadable",
            message: crate::messages::FONT_UNREADABLE.to_string(),
        })?;
        fonts.push(doc.add_font(&font));
    }
    let black = Color::Rgb(Rgb {
        r: 0.0,
        g: 0.0,
        b: 0.0,
        icc_profile: None,
    });
    let mut pdf_pages = Vec::new();
    for page in pages {
        let mut ops = vec![
            Op::SetFillColor { col: black.clone() },
            Op::SetOutlineColor { col: black.clone() },
        ];
        for item in &page.items {
            match item {
                Item::Text {
                    x,
                    y,
                    size,
                    style,
                    text,
                } => {
                    ops.push(Op::StartTextSection);
                    ops.push(Op::SetFont {
                        font: PdfFontHandle::External(fonts[style.index()].clone()),
                        size: Pt(*size),
                    });
                    ops.push(Op::SetTextCursor {
                        pos: point(*x, *y, page.height),
                    });
                    ops.push(Op::ShowText {
                        items: vec![TextItem::Text(text.clone())],
                    });
                    ops.push(Op::EndTextSection);
                }
                Item::Line { x1, y1, x2, y2, width } => {
                    ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                    ops.push(Op::DrawLine {
                        line: Line {
                            points: vec![
                                LinePoint {
                                    p: point(*x1, *y1, page.height),
                                    bezier: false,
                                },
                                LinePoint {
                                    p: point(*x2, *y2, page.height),
                                    bezier: false,
                                },
                            ],
                            is_closed: false,
                        },
                    });
                }
                Item::Fill { x, y, w, h } => {
                    let corners = [(*x, *y), (*x + *w, *y), (*x + *w, *y + *h), (*x, *y + *h)];
                    ops.push(Op::DrawPolygon {
                        polygon: Polygon {
                            rings: vec![PolygonRing {
                                points: corners
                                    .iter()
                                    .map(|(cx, cy)| LinePoint {
                                        p: point(*cx, *cy, page.height),
                                        bezier: false,
                                    })
                                    .collect(),
                            }],
                            mode: PaintMode::Fill,
                            winding_order: WindingOrder::NonZero,
                        },
                    });
                }
            }
        }
        pdf_pages.push(PdfPage::new(Mm(page.width), Mm(page.height), ops));
    }
    let bytes = doc.with_pages(pdf_pages).save(
        &PdfSaveOptions {
            subset_fonts: true,
            ..PdfSaveOptions::default()
        },
        &mut Vec::new(),
    );
    Ok(bytes)
}
