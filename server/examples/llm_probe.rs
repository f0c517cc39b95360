use std::io::BufReader;
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let path = &a[1];
    let ids: Vec<u32> = a[2].split(',').map(|x| x.trim().parse().unwrap()).collect();
    let n: usize = a[3].parse().unwrap();
    let mut r = BufReader::new(std::fs::File::open(path).unwrap());
    let ct = candle_core::quantized::gguf_file::Content::read(&mut r).unwrap();
    let t = std::time::Instant::now();
    let mut m = lqls::llm::model::Model::load(&ct, &mut r, 2048).unwrap();
    eprintln!("load {:?}", t.elapsed());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    pool.install(|| {
        let t = std::time::Instant::now();
        let mut logits = m.forward(&ids).unwrap();
        let pt = t.elapsed();
        let t = std::time::Instant::now();
        let mut out = vec![];
        for _ in 0..n {
            let nx = lqls::llm::model::argmax(&logits).unwrap();
            out.push(nx);
            logits = m.forward(&[nx]).unwrap();
        }
        let gt = t.elapsed();
        eprintln!(
            "prompt {} tok in {:?} ({:.1} tok/s); gen {} in {:?} ({:.1} tok/s)",
            ids.len(),
            pt,
            ids.len() as f64 / pt.as_secs_f64(),
            n,
            gt,
            n as f64 / gt.as_secs_f64()
        );
        println!(
            "{}",
            out.iter()
                .map(|x| x.to_string())
                .collect::<Vec<_>>()
                .join(",")
        );
    });
}
